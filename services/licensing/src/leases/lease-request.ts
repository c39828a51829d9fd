export const leaseDeviceKinds = ['web', 'mobile'] as const;
export type LeaseDeviceKind = (typeof leaseDeviceKinds)[number];

export interface LeaseRequest {
  deviceKind: LeaseDeviceKind;
  label: string;
}

export const MAX_LABEL_LENGTH = 100;

/**
 * Checks the body of `POST /v1/leases`. Desktop clients are refused on purpose: a registered
 * PC uses its seat licence and never a concurrent connection.
 */
/** Why a request is refused: Japanese (what a person reads) and English (messageEn). */
export type LeaseRequestProblem = { ja: string; en: string };

export function parseLeaseRequest(
  body: unknown,
): { ok: true; value: LeaseRequest } | { ok: false; message: LeaseRequestProblem } {
  if (typeof body !== 'object' || body === null)
    return {
      ok: false,
      message: {
        ja: 'JSON の本文 {deviceKind, label} を送ってください。',
        en: 'Send a JSON body {deviceKind, label}.',
      },
    };
  const { deviceKind, label } = body as Record<string, unknown>;
  if (deviceKind === 'desktop') {
    return {
      ok: false,
      message: {
        ja: 'デスクトップ版は PC ライセンスで接続するため、同時接続枠は使いません。',
        en: 'Desktop clients use their seat licence and do not take a concurrent connection.',
      },
    };
  }
  if (!leaseDeviceKinds.includes(deviceKind as LeaseDeviceKind)) {
    return {
      ok: false,
      message: { ja: 'deviceKind は "web" か "mobile" です。', en: 'deviceKind must be "web" or "mobile".' },
    };
  }
  if (typeof label !== 'string' || label.trim() === '' || label.length > MAX_LABEL_LENGTH) {
    return {
      ok: false,
      message: {
        ja: `label は1〜${MAX_LABEL_LENGTH}文字で入力してください。`,
        en: `label must be a non-empty text of at most ${MAX_LABEL_LENGTH} characters.`,
      },
    };
  }
  return { ok: true, value: { deviceKind: deviceKind as LeaseDeviceKind, label: label.trim() } };
}
