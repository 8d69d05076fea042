"""Looking inside a trained network: kernels and feature maps, answers and their evidence, metrics."""
