package io.vsockexec.agent;

/**
 * What the file requests ({@code WriteFile}, {@code ReadFile}, {@code ListFiles}) have in common:
 * each is answered by one {@code FileResult}, and refused with one, its {@code error} the reason,
 * as the Go agent refuses them.
 */
abstract class FileRequestHandler extends OneAnswerHandler {
    FileRequestHandler(Kind kind) {
        super(kind, FileReply::send);
    }
}
