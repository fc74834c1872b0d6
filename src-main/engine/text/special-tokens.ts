// The two tokens every tokenizer of ours has beside what it learned, by name and by id.

/** Ends a document: the corpora separate documents with it, the token streams join them with it. */
export const END_OF_TEXT = '<|endoftext|>';
export const END_OF_TEXT_ID = 0;

/** Stands for a character the tokenizer never saw while training. */
export const UNKNOWN = '[UNK]';
export const UNKNOWN_ID = 1;
