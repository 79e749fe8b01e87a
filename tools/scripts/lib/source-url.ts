/**
 * Pure: the repository address for the image's `org.opencontainers.image.source` label, without
 * the credentials a CI checkout often puts in its remote (`https://user:token@host/...`): the
 * label is readable by anyone who can pull the image. scp-like remotes (`git@host:org/repo`)
 * carry no secret and are kept; anything that is not a remote address becomes 'unknown'.
 */
export function publicSourceUrl(remote: string): string {
  const trimmed = remote.trim();
  if (/^[\w.-]+@[\w.-]+:(?!\/\/)/.test(trimmed)) return trimmed;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'unknown';
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.href;
}
