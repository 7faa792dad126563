import { isStopWord, stem, words } from "../retrieval/analysis/tokens.js";
import { stemsOfForms } from "./word-forms.js";

/**
 * Who a sentence of a summary says said something: "Holly explained …", "Jeremy asked …",
 * "according to the host …", "she added …". The check then wants that person to be the speaker
 * of a passage the sentence cites, so words cannot move from one speaker to another.
 */

/** A person who may be named in a summary: a speaker of the episode, with their role. */
export interface Person {
  name: string;
  role?: string;
}

// Verbs that put words or views in someone's mouth, in their base form.
const SAYING = stemsOfForms(
  `say tell explain describe note mention add ask answer reply respond argue suggest stress emphasize
  emphasise point recall share discuss talk comment remark observe highlight acknowledge admit express
  elaborate outline clarify state claim confirm deny announce insist believe think feel hope expect
  want warn predict promise reveal report praise criticize agree disagree joke recommend advise urge
  introduce describe estimate question wonder`,
);
const PRONOUNS = new Set(["he", "she"]);
const ROLES = new Set(["host", "guest"]);

/** Lower-case words by which a summary may name each person (first name, last name, role). */
function nameWords(people: readonly Person[]): Map<string, Set<string>> {
  const byWord = new Map<string, Set<string>>();
  const add = (word: string, name: string) => byWord.set(word, (byWord.get(word) ?? new Set()).add(name));
  for (const person of people) {
    for (const { word } of words(person.name)) {
      // "Episode notes" is named by "episode": "notes" is also a verb of saying.
      if (!isStopWord(word) && !SAYING.has(stem(word))) add(stem(word), person.name);
    }
    if (person.role && ROLES.has(person.role)) add(person.role, person.name);
  }
  return byWord;
}

export interface Attributions {
  /** For each sentence in turn: the people it says said something (names), possibly none. */
  speakersOf(sentence: string): Set<string>[];
}

/**
 * Reads attributions sentence after sentence, carrying the last person named so that "she"
 * in the next sentence means her. Only people in `people` are recognised: an unknown subject
 * ("the team says") attributes nothing, and its words are checked like any others.
 */
export function attributions(people: readonly Person[]): Attributions {
  const byWord = nameWords(people);
  let lastNamed: Set<string> | undefined;
  return {
    speakersOf(sentence) {
      const tokens = words(sentence).map((w) => w.word.replace(/'s$/, ""));
      const found: Set<string>[] = [];
      const personAt = (i: number): Set<string> | undefined => {
        const token = tokens[i] as string;
        if (PRONOUNS.has(token)) return lastNamed;
        return byWord.get(ROLES.has(token) ? token : stem(token));
      };
      tokens.forEach((token, i) => {
        // The named person closest before the verb is its subject ("Holly then explained").
        if (SAYING.has(stem(token))) {
          for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
            const who = personAt(j);
            if (who) {
              found.push(who);
              break;
            }
            if (!isStopWord(tokens[j] as string)) break;
          }
        }
        // "according to Holly", "according to the host".
        if (token === "according" && tokens[i + 1] === "to") {
          const who = personAt(i + 2) ?? (tokens[i + 2] === "the" ? personAt(i + 3) : undefined);
          if (who) found.push(who);
        }
        const named = PRONOUNS.has(token) ? undefined : byWord.get(stem(token));
        if (named) lastNamed = named;
      });
      return found;
    },
  };
}
