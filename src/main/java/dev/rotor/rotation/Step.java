package dev.rotor.rotation;

/**
 * The ordered steps of one rotation (DESIGN §3). Fault-injection tests enumerate this list, so a new step
 * is covered as soon as it is added here.
 */
public enum Step { CLAIM, ADOPT, MINT, VERIFY, PUBLISH, READBACK, COMMIT, ROLL, RETIRE }
