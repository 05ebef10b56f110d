// One /metrics for several targets: families merged, one HELP/TYPE each, every sample kept.
import { describe, expect, it } from 'vitest';
import { mergeExpositions } from '../../controller/targets/combine.js';

describe('merged Prometheus exposition', () => {
  it("keeps one header per family and every target's samples together", () => {
    const a =
      '# HELP x_total X.\n# TYPE x_total counter\nx_total{target="a"} 1\n\n# HELP y Y.\n# TYPE y gauge\ny{target="a"} 2\n';
    const b = '# HELP x_total X.\n# TYPE x_total counter\nx_total{target="b"} 3\n';
    expect(mergeExpositions([a, b])).toBe(
      '# HELP x_total X.\n# TYPE x_total counter\nx_total{target="a"} 1\nx_total{target="b"} 3\n\n# HELP y Y.\n# TYPE y gauge\ny{target="a"} 2\n',
    );
  });
});
