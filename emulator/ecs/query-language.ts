// The cluster query language of ECS (memberOf placement constraints, ListContainerInstances'
// `filter`): `subject operator [argument]` expressions joined with and/&&, or/||, not/!, and
// parentheses. Subjects: `attribute:NAME`, `ec2InstanceId`, `agentConnected`, `registeredAt`
// (not compared), and `task:group`. Operators: ==/equals, !=/not_equals, exists, !exists/
// not_exists, in/not_in [a, b], =~/matches (with * wildcards).
import type { ContainerInstanceRecord } from '../state.js';
import { invalidParameter } from '../wire/errors.js';

/** What an expression can look at besides the instance itself (the task groups it runs). */
export interface QueryContext {
  readonly groups?: readonly string[];
}

export type InstancePredicate = (instance: ContainerInstanceRecord, context?: QueryContext) => boolean;

type Token = { kind: 'word' | 'list' | 'open' | 'close'; text: string; items?: string[] };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const text = expression;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'open' : 'close', text: ch });
      i++;
    } else if (ch === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw invalid(expression);
      const items = text
        .slice(i + 1, end)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      tokens.push({ kind: 'list', text: text.slice(i, end + 1), items });
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()[\]]/.test(text[j] as string)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function invalid(expression: string): Error {
  return invalidParameter(`Invalid query expression: ${expression}`);
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

function subjectValues(subject: string, instance: ContainerInstanceRecord, context?: QueryContext): string[] {
  if (subject.startsWith('attribute:')) {
    const name = subject.slice('attribute:'.length);
    const found = instance.attributes.find((a) => a.name === name);
    if (!found) return [];
    return [found.value ?? ''];
  }
  switch (subject) {
    case 'ec2InstanceId':
      return [instance.ec2InstanceId];
    case 'agentConnected':
      return [String(instance.agentConnected)];
    case 'task:group':
      return [...(context?.groups ?? [])];
    default:
      return [];
  }
}

const SUBJECT = /^(attribute:[a-zA-Z0-9_.\-/]+|ec2InstanceId|agentConnected|registeredAt|task:group)$/;

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly expression: string,
  ) {}

  parse(): InstancePredicate {
    const predicate = this.or();
    if (this.at !== this.tokens.length) throw invalid(this.expression);
    return predicate;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw invalid(this.expression);
    return token;
  }

  private isWord(...words: string[]): boolean {
    const token = this.peek();
    return token?.kind === 'word' && words.includes(token.text.toLowerCase());
  }

  private or(): InstancePredicate {
    let left = this.and();
    while (this.isWord('or', '||')) {
      this.next();
      const right = this.and();
      const l = left;
      left = (instance, context) => l(instance, context) || right(instance, context);
    }
    return left;
  }

  private and(): InstancePredicate {
    let left = this.unary();
    while (this.isWord('and', '&&')) {
      this.next();
      const right = this.unary();
      const l = left;
      left = (instance, context) => l(instance, context) && right(instance, context);
    }
    return left;
  }

  private unary(): InstancePredicate {
    if (this.isWord('not', '!')) {
      this.next();
      const inner = this.unary();
      return (instance, context) => !inner(instance, context);
    }
    if (this.peek()?.kind === 'open') {
      this.next();
      const inner = this.or();
      if (this.next().kind !== 'close') throw invalid(this.expression);
      return inner;
    }
    return this.comparison();
  }

  private comparison(): InstancePredicate {
    const subject = this.next();
    if (subject.kind !== 'word' || !SUBJECT.test(subject.text)) throw invalid(this.expression);
    const operator = this.next();
    if (operator.kind !== 'word') throw invalid(this.expression);
    const op = operator.text.toLowerCase();
    const values = (instance: ContainerInstanceRecord, context?: QueryContext) =>
      subjectValues(subject.text, instance, context);
    switch (op) {
      case 'exists':
        return (instance, context) => values(instance, context).length > 0;
      case '!exists':
      case 'not_exists':
        return (instance, context) => values(instance, context).length === 0;
      case '==':
      case 'equals':
      case '!=':
      case 'not_equals':
      case '=~':
      case 'matches': {
        const argument = this.next();
        if (argument.kind !== 'word') throw invalid(this.expression);
        const negate = op === '!=' || op === 'not_equals';
        const test =
          op === '=~' || op === 'matches'
            ? (value: string) => wildcard(argument.text).test(value)
            : (value: string) => value === argument.text;
        return (instance, context) => values(instance, context).some(test) !== negate;
      }
      case 'in':
      case 'not_in': {
        const argument = this.next();
        if (argument.kind !== 'list') throw invalid(this.expression);
        const items = argument.items ?? [];
        const negate = op === 'not_in';
        return (instance, context) => values(instance, context).some((v) => items.includes(v)) !== negate;
      }
      default:
        throw invalid(this.expression);
    }
  }
}

/** Compiles an expression once (an invalid one is InvalidParameterException). */
export function compileQuery(expression: string): InstancePredicate {
  return new Parser(tokenize(expression), expression).parse();
}
