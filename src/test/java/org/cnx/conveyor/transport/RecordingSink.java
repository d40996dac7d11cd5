package org.cnx.conveyor.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An output sink for tests that keeps every line with its stream, and can react to lines as they arrive. */
final class RecordingSink implements OutputSink {

    record Line(Stream stream, String text) {}

    private final List<Line> lines = new ArrayList<>();
    private final Consumer<String> onLine;

    RecordingSink() {
        this(text -> {});
    }

    RecordingSink(Consumer<String> onLine) {
        this.onLine = onLine;
    }

    @Override
    public synchronized void line(Stream stream, String text) {
        lines.add(new Line(stream, text));
        onLine.accept(text);
    }

    synchronized List<String> texts(Stream stream) {
        return lines.stream()
                .filter(line -> line.stream() == stream)
                .map(Line::text)
                .toList();
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }
}
