// The shipped corpus: simple children's stories drawn from a seeded grammar, made in memory
// (nothing big in git) and identical for a seed on every machine. A handful of plots, each a
// chain of sentence slots with several wordings, over named characters, animals, places,
// objects and feelings, with dialogue: enough structure for a small model to learn, enough
// variety that its text is far from a unigram's. Synthetic, and always described so.
import { Rng } from '../util/rng';

/** How the corpus is described wherever it is offered. */
export const STORIES_DESCRIPTION = 'stories: a synthetic corpus of simple children\'s stories generated from a seeded grammar (not real text)';

export const STORIES_SEED = 1;
export const STORIES_TRAIN = 20_000;
export const STORIES_VALID = 1_000;

interface Person {
  name: string;
  he: string;
  him: string;
  his: string;
  kind: string;
}

const GIRLS = ['Lily', 'Mia', 'Anna', 'Lucy', 'Emma', 'Zoe', 'Sara', 'Ella', 'Amy', 'Rose', 'Kim', 'Sue', 'Jane', 'Molly', 'Daisy', 'Nora', 'Ivy', 'Ruby', 'Lena', 'Maya', 'Hannah', 'Clara', 'Poppy', 'Alice', 'Grace', 'Olivia', 'Stella', 'Hazel'];
const BOYS = ['Tom', 'Ben', 'Sam', 'Max', 'Jack', 'Leo', 'Tim', 'Noah', 'Finn', 'Bob', 'Joe', 'Dan', 'Ollie', 'Jake', 'Luke', 'Eli', 'Ned', 'Ray', 'Theo', 'Kai', 'Oscar', 'Henry', 'Felix', 'Hugo', 'Jasper', 'Arlo', 'Milo', 'Toby'];
const ANIMALS = ['dog', 'cat', 'bird', 'rabbit', 'frog', 'duck', 'bear', 'fox', 'mouse', 'owl', 'turtle', 'pony', 'fish', 'squirrel', 'lamb', 'puppy', 'kitten', 'bunny'];
const ANIMAL_LOOKS = ['little', 'big', 'fluffy', 'brown', 'white', 'tiny', 'spotted', 'gray', 'small', 'old'];
const PLACES = ['park', 'garden', 'forest', 'beach', 'farm', 'lake', 'hill', 'meadow', 'town', 'school', 'backyard', 'river', 'zoo', 'playground', 'woods'];
const OBJECTS = ['ball', 'kite', 'hat', 'toy boat', 'box', 'book', 'drum', 'teddy bear', 'shell', 'balloon', 'crayon', 'key', 'doll', 'toy car', 'blanket', 'bucket', 'ring', 'spoon'];
const COLOURS = ['red', 'blue', 'green', 'yellow', 'pink', 'purple', 'orange', 'shiny', 'big', 'soft'];
const FOODS = ['apple', 'carrot', 'cookie', 'piece of bread', 'banana', 'berry', 'cake', 'sandwich'];
const HIDING = ['under a tree', 'behind a rock', 'in the tall grass', 'under the bed', 'near the pond', 'behind the door', 'inside a bush', 'on a high shelf'];
const GOOD = ['happy', 'glad', 'proud', 'excited', 'joyful'];
const BAD = ['sad', 'scared', 'worried', 'upset', 'lonely'];
const ADULTS: Person[] = [
  { name: 'Mom', he: 'she', him: 'her', his: 'her', kind: 'mom' },
  { name: 'Dad', he: 'he', him: 'him', his: 'his', kind: 'dad' },
  { name: 'Grandma', he: 'she', him: 'her', his: 'her', kind: 'grandma' },
  { name: 'Grandpa', he: 'he', him: 'him', his: 'his', kind: 'grandpa' },
];
const SKILLS = ['climb the big tree', 'swim in the lake', 'ride a bike', 'jump over the log', 'fly a kite', 'sing a song', 'build a tall tower'];
const SCENES = [
  'The sun was shining and the birds were singing.',
  'It was a warm and sunny day.',
  'The sky was blue and the wind was soft.',
  'There were many flowers, and the grass was green.',
  'It was a cold morning, and the ground was wet.',
  'Everything was quiet except for the bees.',
];
const GIFTS = ['a little red bike', 'a box of crayons', 'a new book about stars', 'a toy train', 'a soft teddy bear', 'a pretty necklace', 'a kite with a long tail'];
const DREAMS = ['flying over the clouds', 'a castle made of candy', 'swimming with a big whale', 'a talking moon', 'a garden full of giant flowers'];
const TREASURE = ['a shiny coin', 'an old map', 'a golden key', 'a tiny bell', 'a smooth blue stone', 'a secret box'];
const WEATHER = ['it started to rain', 'a big wind came', 'the sky got dark', 'it began to snow'];

/** Everything one story is about, drawn once at its start. */
interface Cast {
  hero: Person;
  friend: Person;
  adult: Person;
  animal: string;
  look: string;
  place: string;
  object: string;
  colour: string;
  food: string;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const an = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

class Story {
  constructor(private readonly rng: Rng) {}

  pick<T>(items: readonly T[]): T {
    return items[this.rng.int(items.length)];
  }

  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }

  person(not?: string): Person {
    for (;;) {
      const girl = this.chance(0.5);
      const name = this.pick(girl ? GIRLS : BOYS);
      if (name === not) continue;
      return girl ? { name, he: 'she', him: 'her', his: 'her', kind: 'girl' } : { name, he: 'he', him: 'him', his: 'his', kind: 'boy' };
    }
  }

  cast(): Cast {
    const hero = this.person();
    return {
      hero,
      friend: this.person(hero.name),
      adult: this.pick(ADULTS),
      animal: this.pick(ANIMALS),
      look: this.pick(ANIMAL_LOOKS),
      place: this.pick(PLACES),
      object: this.pick(OBJECTS),
      colour: this.pick(COLOURS),
      food: this.pick(FOODS),
    };
  }

  /** The opening line, now and then followed by a line about the day. */
  opening(c: Cast): string {
    const line = this.firstLine(c);
    return this.chance(0.35) ? `${line} ${this.pick(SCENES)}` : line;
  }

  firstLine(c: Cast): string {
    const { hero: h } = c;
    return this.pick([
      `Once upon a time, there was a little ${h.kind} named ${h.name}.`,
      `${h.name} was a ${this.pick(['kind', 'happy', 'curious', 'brave', 'shy', 'funny'])} ${h.kind} who loved to play.`,
      `One day, ${h.name} went to the ${c.place} with ${h.his} ${c.adult.kind}.`,
      `There once was a ${h.kind} called ${h.name} who lived near a ${c.place}.`,
    ]);
  }

  said(who: Person, words: string): string {
    const verb = words.endsWith('?') ? this.pick(['asked', 'said']) : this.pick(['said', 'shouted', 'whispered', 'said', 'cried']);
    return this.chance(0.5) ? `"${words}" ${who.name} ${verb}.` : `${who.name} ${verb}, "${words}"`;
  }

  lostThing(c: Cast): string[] {
    const { hero: h, friend: f } = c;
    const s = [this.opening(c), `${cap(h.he)} had ${an(c.colour)} ${c.object} that ${h.he} loved very much.`];
    s.push(this.pick([`One day, ${h.name} took the ${c.object} to the ${c.place}.`, `Every day, ${h.name} played with the ${c.object} at the ${c.place}.`]));
    s.push(`But then the ${c.object} was gone!`, `${h.name} felt ${this.pick(BAD)}.`);
    if (this.chance(0.6)) s.push(this.said(h, `Where is my ${c.object}?`));
    s.push(`${cap(h.his)} friend ${f.name} came to help.`);
    s.push(`They looked everywhere, and at last they found it ${this.pick(HIDING)}.`);
    if (this.chance(0.7)) s.push(this.said(h, `Thank you, ${f.name}!`));
    s.push(this.pick([`${h.name} was ${this.pick(GOOD)} again.`, `From that day on, ${h.name} kept the ${c.object} safe.`]));
    return s;
  }

  newFriend(c: Cast): string[] {
    const { hero: h } = c;
    const s = [this.opening(c), `At the ${c.place}, ${h.name} saw ${an(c.look)} ${c.animal}.`];
    const trouble = this.pick(['hungry', 'stuck', 'lost', 'cold']);
    s.push(`The ${c.animal} looked ${this.pick(BAD)}. It was ${trouble}.`);
    if (this.chance(0.6)) s.push(this.said(h, `Do not be afraid, little ${c.animal}.`));
    if (trouble === 'hungry') s.push(`${h.name} gave the ${c.animal} ${an(c.food)}.`, `The ${c.animal} ate it all up.`);
    else if (trouble === 'stuck') s.push(`${h.name} pulled very gently, and the ${c.animal} was free.`);
    else if (trouble === 'lost') s.push(`${h.name} helped the ${c.animal} find its home ${this.pick(HIDING)}.`);
    else s.push(`${h.name} wrapped the ${c.animal} in ${h.his} ${this.pick(['blanket', 'scarf', 'coat'])}.`);
    s.push(`The ${c.animal} was ${this.pick(GOOD)} and licked ${h.his} hand.`);
    s.push(this.pick([`After that, ${h.name} and the ${c.animal} were best friends.`, `Every day, the ${c.animal} came back to play with ${h.name}.`]));
    return s;
  }

  sharing(c: Cast): string[] {
    const { hero: h, friend: f, adult: a } = c;
    const s = [this.opening(c), `${h.name} and ${f.name} were playing at the ${c.place}.`];
    s.push(`They both wanted the ${c.colour} ${c.object}.`);
    s.push(this.said(h, `It is my ${c.object}!`), this.said(f, `No, I want it!`));
    s.push(`They pulled and pulled, and they both felt ${this.pick(['angry', 'upset', 'sad'])}.`);
    s.push(`${a.name} came and said, "${this.pick(['You can take turns.', 'Sharing is kind.', 'Let us play together.'])}"`);
    s.push(`So ${h.name} and ${f.name} shared the ${c.object}.`);
    if (this.chance(0.5)) s.push(`They played all day and laughed a lot.`);
    s.push(this.pick([`They learned that sharing is fun.`, `${h.name} and ${f.name} were ${this.pick(GOOD)} to be friends.`]));
    return s;
  }

  tryAgain(c: Cast): string[] {
    const { hero: h, friend: f } = c;
    const skill = this.pick(SKILLS);
    const s = [this.opening(c), `${h.name} wanted to ${skill}.`];
    s.push(`But ${h.he} was ${this.pick(['scared', 'too small', 'not sure'])}, and the first time ${h.he} fell down.`);
    if (this.chance(0.6)) s.push(this.said(h, 'I can not do it.'));
    s.push(this.said(f, this.pick(['You can do it!', 'Try one more time!', 'I will help you.'])));
    s.push(`${h.name} tried again, and again.`);
    s.push(`At last, ${h.name} could ${skill}!`);
    s.push(`${cap(h.he)} felt very ${this.pick(GOOD)}.`);
    if (this.chance(0.5)) s.push(this.said(h, `Thank you, ${f.name}!`));
    return s;
  }

  weather(c: Cast): string[] {
    const { hero: h, adult: a } = c;
    const s = [this.opening(c), `${h.name} was playing with ${h.his} ${c.object} at the ${c.place}.`];
    s.push(`Then ${this.pick(WEATHER)}.`);
    s.push(`${h.name} felt ${this.pick(['cold', 'scared', 'wet'])}, so ${h.he} ran home.`);
    s.push(this.said(a, `Come inside, ${h.name}.`));
    s.push(`${a.name} made ${this.pick(['warm milk', 'hot soup', 'a cup of tea', 'cookies'])} for ${h.him}.`);
    if (this.chance(0.6)) s.push(`They sat by the window and watched the sky.`);
    s.push(this.pick([`${h.name} was warm and ${this.pick(GOOD)}.`, `Soon ${h.name} fell asleep.`]));
    return s;
  }

  birthday(c: Cast): string[] {
    const { hero: h, friend: f, adult: a } = c;
    const gift = this.pick(GIFTS);
    const s = [this.opening(c), `Tomorrow was ${f.name}'s birthday, and ${h.name} wanted to give ${f.him} something special.`];
    s.push(`${h.name} asked ${h.his} ${a.kind} for help.`);
    s.push(this.said(a, this.pick(['What does your friend like?', 'Shall we make a cake?', 'Let us go to the shop.'])));
    s.push(`Together they found ${gift} and wrapped it in ${c.colour} paper.`);
    s.push(`The next day, ${h.name} gave the present to ${f.name}.`);
    s.push(this.said(f, this.pick(['Wow, I love it!', 'Thank you so much!', 'This is the best present!'])));
    if (this.chance(0.5)) s.push(`They ate ${this.pick(['cake', 'cookies', 'ice cream'])} and played games until the sun went down.`);
    s.push(`${h.name} felt ${this.pick(GOOD)}, because giving is as nice as getting.`);
    return s;
  }

  bedtime(c: Cast): string[] {
    const { hero: h, adult: a } = c;
    const s = [this.opening(c), `When night came, ${h.name} did not want to go to bed.`];
    s.push(this.said(h, this.pick(['I am not tired!', 'Can I play a little more?', 'I am scared of the dark.'])));
    s.push(`${a.name} sat on the bed and read a story about ${an(c.look)} ${c.animal}.`);
    s.push(`Soon ${h.name}'s eyes grew heavy.`);
    s.push(`${cap(h.he)} dreamed of ${this.pick(DREAMS)}.`);
    if (this.chance(0.5)) s.push(`In the morning, ${h.name} told ${h.his} ${a.kind} all about the dream.`);
    s.push(this.pick([`It was the best sleep ever.`, `${h.name} woke up ${this.pick(GOOD)} and ready to play.`]));
    return s;
  }

  treasure(c: Cast): string[] {
    const { hero: h, friend: f } = c;
    const thing = this.pick(TREASURE);
    const s = [this.opening(c), `${h.name} and ${f.name} went on an adventure to the ${c.place}.`];
    s.push(`They walked and walked until they saw something ${this.pick(HIDING)}.`);
    s.push(`It was ${thing}!`);
    s.push(this.said(f, this.pick(['What is it?', 'Who does it belong to?', 'Can we keep it?'])));
    s.push(this.pick([
      `They asked everyone at the ${c.place}, and at last they found its owner, an old man with a ${c.animal}.`,
      `They took it home and showed it to ${h.his} ${c.adult.kind}.`,
    ]));
    s.push(`${h.name} and ${f.name} felt ${this.pick(GOOD)} and brave.`);
    if (this.chance(0.5)) s.push(`They could not wait for their next adventure.`);
    return s;
  }

  tell(): string {
    const c = this.cast();
    const plot = this.pick([this.lostThing, this.newFriend, this.sharing, this.tryAgain, this.weather, this.birthday, this.bedtime, this.treasure]);
    const sentences = plot.call(this, c);
    // a story in two paragraphs now and then, as children's books write them
    if (sentences.length > 6 && this.chance(0.3)) {
      const cut = 3 + this.rng.int(sentences.length - 5);
      return `${sentences.slice(0, cut).join(' ')}\n\n${sentences.slice(cut).join(' ')}`;
    }
    return sentences.join(' ');
  }
}

/** `count` stories from `seed`; the same seed gives the same text everywhere. */
export function generateStories(count: number, seed: number): string[] {
  const story = new Story(new Rng(seed, 7));
  return Array.from({ length: count }, () => story.tell());
}

/** The shipped corpus: training stories and validation stories drawn from separate streams. */
export function storiesCorpus(seed = STORIES_SEED, train = STORIES_TRAIN, valid = STORIES_VALID): { train: string[]; valid: string[] } {
  return { train: generateStories(train, seed), valid: generateStories(valid, seed + 0x5eed) };
}
