// How much a run trained on a subset of its data is trained (data/subset.ts). Node-free: the
// config's field table lists the choices.

/** As many optimiser steps as on the whole training set, or as many passes over the subset. */
export const SUBSET_BUDGETS = ['steps', 'epochs'] as const;
export type SubsetBudget = (typeof SUBSET_BUDGETS)[number];
