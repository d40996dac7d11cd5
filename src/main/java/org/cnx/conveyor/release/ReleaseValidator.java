package org.cnx.conveyor.release;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cnx.conveyor.artifact.ArtifactUploads;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.outbound.AddressRule;
import org.cnx.conveyor.release.ReleaseViews.Artifact;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.release.ReleaseViews.Source;

/** Checks a release request field by field and fills in the checksum of local artifacts. */
@ApplicationScoped
public class ReleaseValidator {

    public static final Pattern COMPONENT = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");
    public static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}$");
    static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    static final Pattern BRANCH = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$");
    static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{7,40}$");
    static final Pattern REPOSITORY = Pattern.compile("^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$");
    static final int MAX_NOTES = 10_000;
    static final int MAX_COMPONENTS = 100;

    private final ArtifactRoots roots;
    private final AddressRule addresses;
    private final ArtifactUploads uploads;

    ReleaseValidator(ArtifactRoots roots, ArtifactsConfig config, ArtifactUploads uploads) {
        this.roots = roots;
        this.uploads = uploads;
        this.addresses = ArtifactStore.addressRule(config);
    }

    NewRelease validate(NewRelease request) {
        if (request == null) {
            throw new Invalid("expected a JSON body with \"components\"");
        }
        List<String> errors = new ArrayList<>();
        Map<String, ComponentPin> components = new LinkedHashMap<>();
        if (request.components() == null || request.components().isEmpty()) {
            errors.add("components: expected at least one component");
        } else if (request.components().size() > MAX_COMPONENTS) {
            errors.add("components: expected at most " + MAX_COMPONENTS + " components");
        } else {
            request.components().forEach((name, pin) -> {
                ComponentPin checked = component(name, pin, errors);
                if (checked != null) {
                    components.put(name, checked);
                }
            });
        }
        if (request.notes() != null && request.notes().length() > MAX_NOTES) {
            errors.add("notes: expected at most " + MAX_NOTES + " characters");
        }
        checkSource(request.source(), errors);
        if (!errors.isEmpty()) {
            throw new Invalid("Invalid release", String.join("; ", errors), errors);
        }
        return new NewRelease(components, request.notes(), request.source());
    }

    private ComponentPin component(String name, ComponentPin pin, List<String> errors) {
        String at = "components." + name;
        if (!COMPONENT.matcher(name).matches()) {
            errors.add(at + ": expected a component name of a-z, 0-9 and '-', starting with a letter");
            return null;
        }
        if (pin == null) {
            errors.add(at + ": expected {\"version\", \"artifact\"}");
            return null;
        }
        if (pin.version() == null || !VERSION.matcher(pin.version()).matches()) {
            errors.add(at + ".version: expected a version like 4.15.23 (letters, digits, '.', '_', '+', '~', '-')");
        }
        Artifact artifact = pin.artifact();
        if (artifact == null) {
            // A version-only pin: the recipe installs this version itself (as cnx-deploy did with pip).
            return pin;
        }
        if (artifact.url() != null && artifact.path() != null) {
            errors.add(at + ".artifact: expected exactly one of \"url\" or \"path\"");
            return null;
        }
        if (artifact.sha256() != null && !SHA256.matcher(artifact.sha256()).matches()) {
            errors.add(at + ".artifact.sha256: expected 64 lowercase hex digits");
            return null;
        }
        if (artifact.url() != null) {
            return urlArtifact(at, pin, artifact, errors);
        }
        if (artifact.path() != null) {
            return pathArtifact(at, pin, artifact, errors);
        }
        return uploadedArtifact(at, pin, artifact, errors);
    }

    private ComponentPin uploadedArtifact(String at, ComponentPin pin, Artifact artifact, List<String> errors) {
        if (artifact.sha256() == null) {
            errors.add(at + ".artifact: expected \"url\", \"path\" or the \"sha256\" of an uploaded artifact");
            return null;
        }
        if (!uploads.claim(artifact.sha256())) {
            errors.add(at + ".artifact.sha256: no uploaded artifact has this checksum; upload it first with PUT"
                    + " /api/artifacts/" + artifact.sha256());
            return null;
        }
        return pin;
    }

    private ComponentPin urlArtifact(String at, ComponentPin pin, Artifact artifact, List<String> errors) {
        URI uri;
        try {
            uri = URI.create(artifact.url());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String scheme = uri == null ? null : uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
            errors.add(at + ".artifact.url: expected an http or https URL");
            return null;
        }
        try {
            // Said at once, rather than when a job fetches it; the job checks again before it connects.
            addresses.checkIfResolvable(uri.getHost());
        } catch (AddressRule.Refused e) {
            errors.add(at + ".artifact.url: " + e.getMessage());
            return null;
        }
        if (artifact.sha256() == null) {
            errors.add(at + ".artifact.sha256: required for a URL artifact");
            return null;
        }
        return pin;
    }

    private ComponentPin pathArtifact(String at, ComponentPin pin, Artifact artifact, List<String> errors) {
        Path path;
        try {
            path = roots.confine(artifact.path());
        } catch (ArtifactRoots.Refused e) {
            errors.add(at + ".artifact.path: " + e.getMessage());
            return null;
        }
        String actual = sha256(path);
        if (artifact.sha256() != null && !artifact.sha256().equals(actual)) {
            errors.add(at + ".artifact.sha256: the file's checksum is " + actual + ", not " + artifact.sha256());
            return null;
        }
        return new ComponentPin(pin.version(), new Artifact(null, path.toString(), actual));
    }

    /** How far ahead of Conveyor's clock a commit's time may be (the committer's clock may run fast). */
    private static final java.time.Duration COMMIT_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    private static void checkSource(Source source, List<String> errors) {
        if (source == null) {
            return;
        }
        if (source.branch() != null
                && (!BRANCH.matcher(source.branch()).matches()
                        || source.branch().contains(".."))) {
            errors.add("source.branch: expected a git branch name");
        }
        if (source.commit() != null && !COMMIT.matcher(source.commit()).matches()) {
            errors.add("source.commit: expected 7-40 lowercase hex digits");
        }
        if (source.pullRequest() != null && source.pullRequest() <= 0) {
            errors.add("source.pullRequest: expected a positive number");
        }
        if (source.repository() != null
                && !REPOSITORY.matcher(source.repository()).matches()) {
            errors.add("source.repository: expected owner/name of a GitHub repository");
        }
        if (source.committedAt() != null && source.commit() == null) {
            errors.add("source.committedAt: given without source.commit (the time of which commit?)");
        }
        if (source.committedAt() != null
                && source.committedAt().isAfter(java.time.Instant.now().plus(COMMIT_CLOCK_SKEW))) {
            errors.add("source.committedAt: " + source.committedAt() + " is in the future");
        }
    }

    /** Hex SHA-256 of a file's content. */
    public static String sha256(Path file) {
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new Invalid("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
