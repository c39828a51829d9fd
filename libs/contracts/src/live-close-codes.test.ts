import { describe, expect, it } from 'vitest';
import { finalLiveCloseCodes, graphqlWsProtocolCloseCodes, liveCloseCodes } from './live-close-codes';

describe('live close codes', () => {
  it('never give a graphql-ws protocol code another meaning', () => {
    const sameMeaning: Record<number, string> = { 4400: 'BAD_CONNECTION_PARAMS', 4401: 'UNAUTHENTICATED' };
    for (const [name, code] of Object.entries(liveCloseCodes)) {
      if (graphqlWsProtocolCloseCodes.includes(code)) expect(sameMeaning[code]).toBe(name);
    }
  });

  it('are distinct, in the application range, and the final ones are among them', () => {
    const codes = Object.values(liveCloseCodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code >= 4000 && code <= 4999).toBe(true);
    for (const code of finalLiveCloseCodes) expect(codes).toContain(code);
    expect(finalLiveCloseCodes).not.toContain(liveCloseCodes.TOKEN_EXPIRED);
    expect(finalLiveCloseCodes).not.toContain(liveCloseCodes.TOO_SLOW);
  });
});
