// How many optimiser steps an epoch takes, counted as the trainer counts them, for the forms that
// warn about a configuration that will barely learn.
export { stepsPerEpoch } from '../engine/train/schedule';
