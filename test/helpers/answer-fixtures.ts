import type { Answer, AnswerPassage } from "../../src/answer/types.js";

/** Answers as the engine hands them to the Slack and Discord renderers, for render tests. */

export const EPISODE = {
  id: "serverless-chats-065",
  title: "Serverless Transformation at AWS with Holly Mesrobian",
  url: "https://youtu.be/nBYUh7CVUiQ",
};

export function passage(overrides: Partial<AnswerPassage> = {}): AnswerPassage {
  return {
    id: "p1",
    text: "Cold starts are something we work on all the time.",
    quote: "Cold starts are something we work on all the time.",
    speaker: "Holly Mesrobian",
    role: "guest",
    episode: EPISODE,
    start: 0,
    end: 52,
    timestamp: 83,
    score: 0.9,
    ...overrides,
  };
}

export function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    status: "answered",
    question: "what did Holly say about cold starts?",
    passages: [passage()],
    ...overrides,
  };
}
