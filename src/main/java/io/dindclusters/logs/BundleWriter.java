package io.dindclusters.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar of text files written as it goes (nothing is held but the part being written), that keeps a list of what it
 * holds and of what could not be collected, for the README it ends with.
 */
final class BundleWriter implements AutoCloseable {

    static final String NOT_COLLECTED = "Not collected:";
    static final String NOTHING_MISSING = "- nothing: every part was collected";

    private final TarArchiveOutputStream tar;
    private final List<String> contents = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();

    BundleWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        this.tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    void add(String path, String text, String what) throws IOException {
        add(path, text.getBytes(StandardCharsets.UTF_8), what);
    }

    void add(String path, byte[] bytes, String what) throws IOException {
        put(path, bytes);
        contents.add(path + " (" + bytes.length + " bytes): " + what);
    }

    private void put(String path, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(bytes.length);
        entry.setModTime(java.util.Date.from(Instant.now()));
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A part that could not be collected, and why; listed in the README. */
    void missing(String path, String why) {
        missing.add(path + ": " + why);
    }

    /** Writes the README: {@code header}, then what the bundle holds and what it lacks. */
    void readme(String header) throws IOException {
        StringBuilder text = new StringBuilder(header).append("\n\nIn this bundle:\n");
        contents.forEach(line -> text.append("- ").append(line).append('\n'));
        text.append('\n').append(NOT_COLLECTED).append('\n');
        if (missing.isEmpty()) {
            text.append(NOTHING_MISSING).append('\n');
        }
        missing.forEach(line -> text.append("- ").append(line).append('\n'));
        put("README.txt", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.flush();
    }
}
