export { registerTrainingGradients, TRAINING_GRADIENTS } from "./register-training-gradients.ts";
