import { lang, setLang, tr } from './i18n';

/** The page's title bar: the language toggle, and signing out when signed in. */
export function Header(props: { title: string; onSignOut?: () => void }) {
  return (
    <header class="bar">
      <h1>{props.title}</h1>
      <div class="tools">
        <button
          type="button"
          lang={lang() === 'zh' ? 'en' : 'zh-CN'}
          onClick={() => setLang(lang() === 'zh' ? 'en' : 'zh')}
        >
          {lang() === 'zh' ? 'English' : '中文'}
        </button>
        {props.onSignOut && (
          <button type="button" onClick={props.onSignOut}>
            {tr('退出', 'Sign out')}
          </button>
        )}
      </div>
    </header>
  );
}
