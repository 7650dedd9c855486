/**
 * Chinese by default, English on request: every text is written as a pair at its use, so a
 * page never shows a key instead of words. The choice is kept on the device.
 */
export type Lang = 'zh' | 'en';

const STORE = 'mlk.lang';
let current: Lang = readLang();
const listeners = new Set<() => void>();

function readLang(): Lang {
  try {
    return localStorage.getItem(STORE) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export const lang = (): Lang => current;

/** The text in the current language. */
export const tr = (zh: string, en: string): string => (current === 'en' ? en : zh);

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORE, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
