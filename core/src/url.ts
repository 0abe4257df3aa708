/**
 * The one way a URL is shown (errors, logs, start-up lines, status, state files):
 * without `user:password@`. The client still gets the full URL; people and files never do.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return redactUrls(url);
  }
}

/** Strips userinfo from every URL inside a text (an error message that quotes a URL). */
export function redactUrls(text: string): string {
  // Greedy to the last "@" of the word: over-redacting a path is harmless, a leaked password is not.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s"'<>]*@/gi, '$1');
}
