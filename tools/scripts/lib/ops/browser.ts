/**
 * Which program opens a URL in the user's browser. On Linux `open` is usually openvt (a
 * virtual-terminal tool), so only xdg-open counts there, and only with a display to open on.
 */

export function browserCommand(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  hasXdgOpen: boolean,
): string[] | undefined {
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (hasXdgOpen && (env.DISPLAY || env.WAYLAND_DISPLAY)) return ['xdg-open'];
  return undefined;
}
