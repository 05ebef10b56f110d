// The targets file: a list of {name, dir, region, roleArn?, externalId?}; every mistake named by file:line:col.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../controller/errors.js';
import { parseTargets } from '../../controller/targets/targets-file.js';

describe('targets file', () => {
  it('reads a list, or {targets: [...]}', () => {
    const list =
      '- {name: staging, dir: envs/staging, region: us-east-1}\n- {name: prod, dir: envs/prod, region: eu-west-1, roleArn: "arn:aws:iam::222222222222:role/ecs-gitops", externalId: abc}\n';
    expect(parseTargets('targets.yaml', list)).toEqual([
      { name: 'staging', dir: 'envs/staging', region: 'us-east-1' },
      {
        name: 'prod',
        dir: 'envs/prod',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::222222222222:role/ecs-gitops',
        externalId: 'abc',
      },
    ]);
    expect(parseTargets('t.yaml', `targets:\n${list.replace(/^/gm, '  ')}`)).toHaveLength(2);
  });

  it('names every problem with its line and column', () => {
    const text =
      '- {name: Prod, dir: envs/prod, region: mars-1}\n- {name: b, dir: x, region: eu-west-1, role: r}\n- {name: b, dir: y, region: eu-west-1, roleArn: "arn:aws:iam::1:user/x"}\n';
    let error: unknown;
    try {
      parseTargets('targets.yaml', text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      'invalid targets file:',
      'targets.yaml:1:10: [0].name: name must be lowercase letters, digits and "-" (at most 63), as it names status folders and metric labels',
      'targets.yaml:1:40: [0].region: region must be an AWS region such as eu-west-1',
      'targets.yaml:2:40: [1].role: unknown field "role" (fields: name, dir, region, roleArn, externalId)',
      'targets.yaml:3:10: [2].name: duplicate target name "b"',
      'targets.yaml:3:49: [2].roleArn: roleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME)',
    ]);
  });
});
