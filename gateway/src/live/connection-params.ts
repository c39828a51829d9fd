export type DeviceKind = 'web' | 'mobile' | 'desktop';

export interface ConnectionParams {
  authorization: unknown;
  deviceKind: DeviceKind;
  label: string;
  /** A desktop client's device credential from its pairing: it proves the PC's seat. */
  deviceCredential?: string;
}

const defaultLabels: Record<DeviceKind, string> = {
  web: 'Web browser',
  mobile: 'Mobile app',
  desktop: 'Desktop client',
};

/**
 * Reads the connection_init payload `{authorization, deviceKind, label, deviceCredential?}`. A client that does not
 * say what it is counts as a web client, so leaving the field out never avoids the limit.
 */
export function parseConnectionParams(
  payload: Record<string, unknown> | undefined,
): { ok: true; value: ConnectionParams } | { ok: false; message: string } {
  const deviceKind = payload?.deviceKind ?? 'web';
  if (deviceKind !== 'web' && deviceKind !== 'mobile' && deviceKind !== 'desktop') {
    return { ok: false, message: 'deviceKind must be "web", "mobile" or "desktop"' };
  }
  const label = payload?.label ?? defaultLabels[deviceKind];
  if (typeof label !== 'string' || label.trim() === '' || label.length > 100) {
    return { ok: false, message: 'label must be a text of 1 to 100 characters' };
  }
  const deviceCredential = payload?.deviceCredential;
  if (
    deviceKind === 'desktop' &&
    (typeof deviceCredential !== 'string' || deviceCredential === '' || deviceCredential.length > 200)
  ) {
    return { ok: false, message: 'a desktop client must send the deviceCredential of its pairing' };
  }
  return {
    ok: true,
    value: {
      authorization: payload?.authorization,
      deviceKind,
      label: label.trim(),
      ...(deviceKind === 'desktop' ? { deviceCredential: deviceCredential as string } : {}),
    },
  };
}
