package org.cnx.conveyor.environment.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Loads every definition file and template of an {@code environments/} directory. */
public final class DefinitionDirectory {

    private static final String TEMPLATES = "templates";
    private static final Pattern NAME_LINE = Pattern.compile("(?m)^name\\s*:\\s*");

    private DefinitionDirectory() {}

    /**
     * Loads {@code *.yml}/{@code *.yaml} files directly in the directory as definitions, those in {@code templates/}
     * as templates and those in {@code runbooks/} as shared runbooks the definitions may use; a missing directory
     * loads as empty. Files are named in problems as {@code <directory name>/<file>}, e.g.
     * {@code environments/staging.yml}.
     */
    public static DirectoryLoad load(Path environmentsDir) {
        String prefix = environmentsDir.toAbsolutePath().normalize().getFileName() + "/";
        DefinitionParser parser = new DefinitionParser();
        List<LoadedDefinition> definitions = new ArrayList<>();
        List<LoadedDefinition> templates = new ArrayList<>();
        List<DefinitionProblem> problems = new ArrayList<>();
        Map<String, LoadedDefinition> byName = new LinkedHashMap<>();
        SharedRunbooks shared = sharedRunbooks(environmentsDir, prefix, problems);
        for (Path file : yamlFiles(environmentsDir)) {
            String displayName = prefix + file.getFileName();
            boolean example = file.getFileName().toString().matches(".*\\.example\\.ya?ml");
            Parse parse = (name, text) -> parser.parse(name, text, shared);
            readAndParse(file, displayName, example, parse, shared, problems).ifPresent(loaded -> {
                LoadedDefinition first =
                        example ? null : byName.putIfAbsent(loaded.definition().name(), loaded);
                if (first != null) {
                    problems.add(duplicateName(loaded, first));
                } else {
                    definitions.add(loaded);
                }
            });
        }
        for (Path file : yamlFiles(environmentsDir.resolve(TEMPLATES))) {
            String displayName = prefix + TEMPLATES + "/" + file.getFileName();
            readAndParse(file, displayName, false, parser::parseTemplate, SharedRunbooks.NONE, problems)
                    .ifPresent(templates::add);
        }
        return new DirectoryLoad(definitions, templates, problems);
    }

    private interface Parse {
        ParseResult apply(String displayName, String text);
    }

    /** The files of {@code runbooks/}, each checked on its own; their roles are checked where they are used. */
    private static SharedRunbooks sharedRunbooks(
            Path environmentsDir, String prefix, List<DefinitionProblem> problems) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path file : yamlFiles(environmentsDir.resolve(SharedRunbooks.FOLDER))) {
            String displayName = prefix + SharedRunbooks.FOLDER + "/" + file.getFileName();
            read(file, displayName, problems).ifPresent(read -> texts.put(displayName, read.text()));
        }
        return SharedRunbooks.parse(texts, problems);
    }

    private record Read(byte[] bytes, String text) {}

    private static Optional<Read> read(Path file, String displayName, List<DefinitionProblem> problems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new DefinitionProblem(displayName, 1, 1, "(file)", "cannot read file: " + e.getMessage()));
            return Optional.empty();
        }
        try {
            return Optional.of(new Read(
                    bytes,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(bytes))
                            .toString()));
        } catch (CharacterCodingException e) {
            problems.add(new DefinitionProblem(displayName, 1, 1, "(file)", "expected UTF-8 text, found other bytes"));
            return Optional.empty();
        }
    }

    private static Optional<LoadedDefinition> readAndParse(
            Path file,
            String displayName,
            boolean example,
            Parse parse,
            SharedRunbooks shared,
            List<DefinitionProblem> problems) {
        return read(file, displayName, problems).flatMap(read -> {
            ParseResult result = parse.apply(displayName, read.text());
            problems.addAll(result.problems());
            return result.definition()
                    .map(definition -> new LoadedDefinition(
                            displayName,
                            sha256(read.bytes()),
                            read.text(),
                            definition,
                            example,
                            shared.textsUsedBy(definition)));
        });
    }

    /** Two active files may not declare the same environment; the later file (by name) is refused. */
    private static DefinitionProblem duplicateName(LoadedDefinition duplicate, LoadedDefinition first) {
        Matcher matcher = NAME_LINE.matcher(duplicate.text());
        int line = 1;
        int column = 1;
        if (matcher.find()) {
            String before = duplicate.text().substring(0, matcher.end());
            line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            column = matcher.end() - before.lastIndexOf('\n');
        }
        return new DefinitionProblem(
                duplicate.file(),
                line,
                column,
                "name",
                "expected a name not declared by " + first.file() + ", found "
                        + YamlValues.quote(duplicate.definition().name()) + " again");
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
