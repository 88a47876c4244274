/* double_input: the smallest library bindery binds — one function, scalars only. */
#ifndef DOUBLE_INPUT_H
#define DOUBLE_INPUT_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns twice `input`.
 *
 * Defined for every `int`: outside [INT_MIN / 2, INT_MAX / 2] the result wraps around in two's
 * complement, the way the hardware multiplies, instead of being undefined behaviour.
 */
int double_input(int input);

#ifdef __cplusplus
}
#endif

#endif /* DOUBLE_INPUT_H */
