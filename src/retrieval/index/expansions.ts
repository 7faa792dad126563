import type { PackedExpansions } from "../analysis/wordnet.js";
import type { Sections, SectionValue } from "./sections.js";
import { TermTable } from "./term-table.js";

/**
 * WordNet expansions as stored: a sorted table of question words with, for
 * each, its packed "target:weight target:weight" string. Only the few words of
 * a question are ever looked up, so nothing is parsed at load.
 */
export class Expansions {
  private constructor(
    private readonly table: TermTable,
    private readonly values: Buffer,
    private readonly starts: Int32Array,
  ) {}

  static build(packed: PackedExpansions): Expansions {
    const keys = Object.keys(packed);
    const { table, order } = TermTable.build(keys);
    const encoded = new Array<Buffer>(keys.length);
    keys.forEach((key, i) => {
      encoded[order[i] as number] = Buffer.from(packed[key] as string);
    });
    const starts = new Int32Array(keys.length + 1);
    encoded.forEach((bytes, i) => {
      starts[i + 1] = (starts[i] as number) + bytes.length;
    });
    return new Expansions(table, Buffer.concat(encoded), starts);
  }

  static fromSections(sections: Sections, prefix: string): Expansions {
    return new Expansions(
      TermTable.from(sections.bytesOf(`${prefix}.terms`), sections.int32(`${prefix}.termStarts`)),
      sections.bytesOf(`${prefix}.values`),
      sections.int32(`${prefix}.starts`),
    );
  }

  toSections(prefix: string): Record<string, SectionValue> {
    const { blob, starts } = this.table.parts();
    return {
      [`${prefix}.terms`]: blob,
      [`${prefix}.termStarts`]: starts,
      [`${prefix}.values`]: this.values,
      [`${prefix}.starts`]: this.starts,
    };
  }

  /** The packed related words of `term`, or undefined. */
  get(term: string): string | undefined {
    const at = this.table.find(term);
    if (at < 0) return undefined;
    return this.values.toString("utf8", this.starts[at] as number, this.starts[at + 1] as number);
  }
}
