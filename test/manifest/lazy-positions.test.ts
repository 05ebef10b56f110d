// Node positions (a JSON pointer per YAML node) are most of a parsed estate's memory and are needed
// only to place a problem: a parse keeps none, and the first question about a document computes
// them from the file's text, for every document of the file, with the same answers as before.
import { describe, expect, it } from 'vitest';
import { locationOf } from '../../controller/manifest/document-problems.js';
import { parseYamlFile } from '../../controller/manifest/yaml-documents.js';

const FILE = `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: ecs-gitops/v1
kind: Service
metadata:
  name: web
spec:
  cluster: prod
  desiredCount: 2
  tags:
    - {key: team, value: payments}
`;

describe('node positions', () => {
  it('given a parsed file, then its documents hold no positions until one is asked for', () => {
    const { documents } = parseYamlFile('fleet.yaml', FILE);

    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expect(Object.getOwnPropertyDescriptor(document, 'positions')?.get).toBeTypeOf('function');
      // nor the start of every line of the file: built again for the odd problem to place
      expect(Object.getOwnPropertyDescriptor(document, 'lines')?.get).toBeTypeOf('function');
    }
  });

  it('given a parsed file, when a node is located, then its line and column are where it was written', () => {
    const [cluster, service] = parseYamlFile('fleet.yaml', FILE).documents;

    expect(locationOf(service!, '/spec/desiredCount')).toEqual({ file: 'fleet.yaml', line: 12, column: 17 });
    expect(locationOf(service!, '/spec/tags/0/value', 'value')).toEqual({
      file: 'fleet.yaml',
      line: 14,
      column: 26,
    });
    expect(locationOf(service!, '/spec/cluster', 'key')).toEqual({ file: 'fleet.yaml', line: 11, column: 3 });
    expect(locationOf(cluster!, '/metadata/name')).toEqual({ file: 'fleet.yaml', line: 3, column: 18 });
    // The document itself needs no positions: every resource's source line comes from its offset.
    expect(locationOf(service!, '')).toEqual({ file: 'fleet.yaml', line: 6, column: 1 });
    expect(service!.positions.value.size).toBeGreaterThan(10);
  });
});
