/**
 * Labelled inputs: every input has a visible label, its unit in the label, and its hint and
 * error tied to it (aria-describedby), so a screen reader says what the eye sees.
 */
import type { ComponentChildren } from 'preact';

interface Common {
  id: string;
  label: string;
  unit?: string;
  hint?: string;
  error?: string;
}

function describedBy(p: Common): string | undefined {
  const ids = [p.hint && `${p.id}-hint`, p.error && `${p.id}-error`].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Frame(p: Common & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={p.id}>
        {p.label}
        {p.unit && <span class="unit">（{p.unit}）</span>}
      </label>
      {p.children}
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={`${p.id}-error`} role="alert">
          {p.error}
        </p>
      )}
    </div>
  );
}

export function TextField(
  p: Common & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'password' | 'date' | 'search';
    inputMode?: 'decimal' | 'numeric' | 'text' | 'tel';
    readOnly?: boolean;
    required?: boolean;
    autoComplete?: string;
  },
) {
  return (
    <Frame {...p}>
      <input
        id={p.id}
        name={p.id}
        type={p.type ?? 'text'}
        inputMode={p.inputMode}
        value={p.value}
        readOnly={p.readOnly}
        required={p.required}
        autoComplete={p.autoComplete ?? 'off'}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </Frame>
  );
}

export function SelectField(
  p: Common & {
    value: string;
    options: [value: string, label: string][];
    onChange: (value: string) => void;
    disabled?: boolean;
  },
) {
  return (
    <Frame {...p}>
      <select
        id={p.id}
        name={p.id}
        value={p.value}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {p.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** The server's field messages by field name: `body.survey.annualSales` → `annualSales`. */
export function fieldErrors(
  details: { path: string; message: string; messageZh?: string }[],
  pick: (zh: string | undefined, en: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const field = d.path.split('.').pop() ?? d.path;
    out[field] ??= pick(d.messageZh, d.message);
  }
  return out;
}
