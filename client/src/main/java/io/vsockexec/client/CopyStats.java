package io.vsockexec.client;

/**
 * What a streamed copy carried ({@link VsockExecClient#copyTo}, {@link VsockExecClient#copyFrom}).
 *
 * @param entries the files, directories and links copied
 * @param bytes the content bytes of the regular files among them
 * @param skipped the entries left out: sockets, named pipes and devices, which a copy does not carry
 * @param warning what was left out, naming the first, e.g. {@code /run/a.sock: socket not copied};
 *     empty if nothing was
 */
public record CopyStats(long entries, long bytes, long skipped, String warning) {}
