import { useState } from 'preact/hooks';
import { ApiError, api, NetworkError, session } from './api';
import { TextField } from './form';
import { ScreenHeading } from './heading';
import { tr } from './i18n';

/** The API key goes to session storage (gone when the tab closes), never into the URL. */
export function SignIn(props: { onSignedIn: () => void; title?: string; check?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    session.signIn(key.trim());
    try {
      await api(props.check ?? '/v1/markets?limit=1');
      props.onSignedIn();
    } catch (err) {
      session.signOut();
      setError(
        err instanceof ApiError
          ? err.text()
          : err instanceof NetworkError
            ? tr('无法连接服务，请检查网络', 'Cannot reach the service; check the network')
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} class="card" aria-labelledby="signin-title">
      <ScreenHeading>
        <span id="signin-title">{props.title ?? tr('登录', 'Sign in')}</span>
      </ScreenHeading>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <TextField
        id="apiKey"
        label={tr('API 密钥', 'API key')}
        hint={tr('仅保存在本标签页，关闭即清除', 'Kept in this tab only; gone when it closes')}
        type="password"
        value={key}
        onInput={setKey}
        required
      />
      <p>
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          {tr('登录', 'Sign in')}
        </button>
      </p>
    </form>
  );
}
