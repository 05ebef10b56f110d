// Text from manifests (names, keys, values) ends up on terminals and in log lines. Control
// characters in it could recolour or rewrite a terminal (ESC sequences), forge log lines (newlines)
// or reorder what is shown (bidirectional overrides), so they are shown escaped, never raw.

// C0 controls, DEL, C1 controls, and the Unicode bidirectional embedding/override/isolate marks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `a\u001b[31mb` → `a\x1b[31mb`: the same text, every unprintable character as a visible escape. */
export function escapeControl(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** At most `max` characters, saying how much was left out (a 20 MB value must not become a 20 MB line). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
