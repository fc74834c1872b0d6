// One evaluation of a run, as the engine reports it, the workspace stores it and the UI draws
// it. A file of its own, free of imports, so that the api contract can name it for the renderer.

export interface MetricRecord {
  epoch: number;
  step: number;
  train_loss: number;
  test_loss: number;
  test_accuracy: number;
  lr: number;
  seconds: number;
}
