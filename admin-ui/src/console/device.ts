/** What the gateway's lease records about this client: web tab or mobile, and a label people recognise. */
export function describeDevice(userAgent = navigator.userAgent): { deviceKind: 'web' | 'mobile'; label: string } {
  const mobile = /iPhone|iPad|Android|Mobile/i.test(userAgent);
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const device = /iPhone/.test(userAgent)
    ? 'iPhone'
    : /iPad/.test(userAgent)
      ? 'iPad'
      : /Android/.test(userAgent)
        ? 'Android'
        : null;
  return { deviceKind: mobile ? 'mobile' : 'web', label: device ? `${device} ${browser}` : `${browser} tab` };
}
