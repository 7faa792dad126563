import { describe, expect, it } from "vitest";
import { stem } from "../src/retrieval/analysis/tokens.js";
import { expectedAnswerType, statesAnswerType } from "../src/retrieval/query/answer-type.js";

const states = (sentence: string, question: string, topic?: string) =>
  statesAnswerType(sentence, expectedAnswerType(question), topic === undefined ? undefined : stem(topic));

describe("what kind of answer a question expects", () => {
  it.each([
    ["how much does provisioned concurrency cost per hour?", "amount", "money"],
    ["what percentage of services run on lambda?", "amount", "percent"],
    ["how long does a cold start take?", "amount", "duration"],
    ["when did efs for lambda come out", "date", undefined],
    ["When exactly is GPU support going to ship?", "date", undefined],
    ["what's the longest a step functions workflow can run?", "amount", "duration"],
    ["what's the max throughput in MB/s from an EFS mount?", "amount", "size"],
    ["when should I use step functions instead of destinations?", "any", undefined],
    ["what's the price per request?", "amount", "money"],
    ["can I see costs per microservice?", "any", undefined],
    ["how much of the operational work does AWS take off your plate?", "any", undefined],
    ["why are single-purpose functions safe?", "any", undefined],
    ["why cap how many people can change a service?", "any", undefined],
    ["how come the max duration is 15 minutes?", "any", undefined],
    ["what is the default concurrency limit per region?", "amount", undefined],
    ["What is the default per-region concurrent execution limit for Lambda?", "amount", undefined],
    ["what's the current maximum run time of a function?", "amount", undefined],
    ["what's the deal with the 15 minute timeout", "any", undefined],
    ["how often does the team review outages?", "frequency", undefined],
    ["On which day of the week does the team hold its review?", "date", undefined],
    ["what does Holly think of provisioned concurrency?", "opinion", undefined],
    ["What is Holly's view on a Lambda supercomputer?", "opinion", undefined],
    ["Does Holly think all compute will be serverless?", "any", undefined],
    ["Why did Jeremy think it was worth it?", "any", undefined],
    ["when does a cold start happen?", "any", undefined],
    ["do they load test regularly?", "frequency", undefined],
    // "how many" inside a clause that asks something else asks for that something.
    ["what's an easy way to cap how many background tasks run at once?", "any", undefined],
    ["how does the time a change takes to ship affect how many developers a team needs?", "any", undefined],
    ["what was the reply about how long technical writing stays valid?", "any", undefined],
    ["what made them drop python, and how much code did the go version need?", "amount", undefined],
    ["On the show, roughly how many ligatures does the font have?", "amount", undefined],
    ["do you know how many engineers work on lambda?", "amount", undefined],
    ["about how long does a cold start take?", "amount", "duration"],
    ["so he maintains it, and for how long now?", "amount", undefined],
  ])("%j wants %s (%s)", (question, type, unit) => {
    const expected = expectedAnswerType(question);
    expect(expected.type).toBe(type);
    expect(expected.unit).toBe(unit);
  });
});

describe("whether a sentence states it", () => {
  it("a cost needs money, not just a number", () => {
    const question = "how much does provisioned concurrency cost per hour?";
    expect(states("Provisioned concurrency costs $0.015 per hour.", question, "concurrency")).toBe(true);
    expect(states("We launched provisioned concurrency 2 years ago.", question, "concurrency")).toBe(false);
  });

  it("a count needs a number of the thing asked about", () => {
    const question = "how many engineers work on the lambda team?";
    expect(states("I've been in engineering for more than 25 years.", question)).toBe(false);
    expect(states("There are about forty engineers on the team.", question)).toBe(true);
  });

  it("the size of a group is a number of it, whatever else the question names", () => {
    const question = "How big are the teams that typically own a service at Amazon?";
    expect(expectedAnswerType(question).counted).toEqual(["team", "typic"]);
    expect(states("A lot of times, two pizza teams own a service.", question, "amazon")).toBe(true);
    // A number beside "Amazon" is no size of a team.
    expect(states("Holly holds a double degree and worked at Amazon.", question, "amazon")).toBe(false);
  });

  it("a name with a digit in it is no number: V2N, EC2", () => {
    const question = "How many EFS file systems can one function mount?";
    expect(states("You referenced V2N and EFS, both of those services.", question)).toBe(false);
    expect(states("A function can mount five EFS file systems.", question)).toBe(true);
    expect(states("EFS went from 1K to 25K burst.", "what's the max EFS burst?", "efs")).toBe(true);
  });

  it("a size needs a unit of data", () => {
    const question = "what's the max throughput in MB/s from an EFS mount?";
    expect(states("EFS raised its burst capability from 1K to 25K.", question, "efs")).toBe(false);
    expect(states("An EFS mount gives about 100 MB/s.", question, "efs")).toBe(true);
    expect(states("An EFS mount gives about 100MB per second.", question, "efs")).toBe(true);
  });

  it("a duration needs a unit of time", () => {
    const question = "how long can a lambda function run?";
    expect(states("A function can run for 15 minutes.", question, "function")).toBe(true);
    expect(states("A function can use 3 GB of memory.", question, "function")).toBe(false);
  });

  it("an opinion is said in evaluative words, and never has to be", () => {
    const question = "what does Holly think of provisioned concurrency?";
    expect(expectedAnswerType(question).optional).toBe(true);
    expect(states("Provisioned Concurrency is a great solution.", question, "concurr")).toBe(true);
    expect(states("We launched Provisioned Concurrency last year.", question, "concurr")).toBe(false);
    // "like" is mostly a comparison in speech.
    expect(states("Things like Provisioned Concurrency came out.", question, "concurr")).toBe(false);
  });

  it("a day of the week is a date", () => {
    const question = "On which day of the week does the team hold its review?";
    expect(states("The team holds its review on Mondays.", question, "review")).toBe(true);
    expect(states("The team holds its review every week.", question, "review")).toBe(false);
  });

  it("a frequency is said in words as often as in numbers", () => {
    const question = "how often does the team review outages?";
    expect(states("We review outages as a team every week.", question, "outage")).toBe(true);
    expect(states("We review outages constantly.", question, "outage")).toBe(true);
    expect(states("Twice a month we review our outages.", question, "outage")).toBe(true);
    // A number is no frequency, nor is a frequency beside another topic.
    expect(states("We reviewed 25 outages last year.", question, "outage")).toBe(false);
    expect(states("We run game days every week.", question, "outage")).toBe(false);
    // Speech is full of vague ones.
    expect(states("We often talk about outages.", question, "outage")).toBe(false);
  });

  it("a yes/no question about a frequency ranks by it but does not need it", () => {
    expect(expectedAnswerType("do they load test regularly?").optional).toBe(true);
    expect(expectedAnswerType("how often do they load test?").optional).toBeUndefined();
    // Proposing a frequency asks for one.
    expect(
      expectedAnswerType("do they check the bill regularly, like every month?").optional,
    ).toBeUndefined();
  });

  it("a plain amount only needs a number beside the topic word", () => {
    const question = "what's the maximum memory for a function?";
    expect(states("A function gets up to 10 GB of memory.", question, "memory")).toBe(true);
    expect(states("Memory matters a lot.", question, "memory")).toBe(false);
  });
});
