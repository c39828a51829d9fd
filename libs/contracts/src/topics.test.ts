import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topics } from './topics';

describe('topics', () => {
  it('are all created by the deployment’s topic job (docker-compose and Kubernetes run the same script)', () => {
    const script = readFileSync(
      new URL('../../../deploy/k8s/base/kafka-topics/create-topics.sh', import.meta.url),
      'utf8',
    );
    const listed =
      script
        .match(/TOPICS="\$\{TOPICS:-([^}]*)\}"/)?.[1]
        ?.split(/\s+/)
        .filter(Boolean) ?? [];
    expect(listed.sort()).toEqual(Object.keys(topics).sort());
  });
});
