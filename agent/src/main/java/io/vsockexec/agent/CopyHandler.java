package io.vsockexec.agent;

/**
 * What the two copy requests ({@code CopyIn}, {@code CopyOut}) have in common: each ends with one
 * {@code CopyResult}, and a refusal is one with the reason ({@link CopyReply#fail}).
 */
abstract class CopyHandler extends OneAnswerHandler {
    CopyHandler(Kind kind) {
        super(kind, CopyReply::fail);
    }
}
