package nl.wmogateway.support.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM of its own on the test classpath, with the same {@code java} as this one, its output
 * appended to a log file. Started through {@link ChildMain}, so it ends when this JVM ends.
 */
final class JavaProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "engines-cleanup"));
    }

    private final String name;
    private final Path workDir;
    private final Path log;
    private final List<String> jvmArgs;
    private final String mainClass;
    private final List<String> args;
    private final Map<String, String> environment;
    private volatile Process process;

    JavaProcess(
            String name,
            Path workDir,
            Path log,
            List<String> jvmArgs,
            String mainClass,
            List<String> args,
            Map<String, String> environment) {
        this.name = name;
        this.workDir = workDir;
        this.log = log;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.environment = Map.copyOf(environment);
    }

    synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("@" + classpathArgFile());
        command.addAll(jvmArgs);
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.writeString(
                    log,
                    "=== " + Instant.now() + " starting " + name + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            LIVE.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    synchronized void kill9() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        await(p, Duration.ofSeconds(30));
        LIVE.remove(p);
        note("killed (SIGKILL), exit " + (p.isAlive() ? "?" : p.exitValue()));
    }

    /** SIGTERM and a graceful shutdown; SIGKILL after the grace period. Returns whether it stopped in time. */
    synchronized boolean stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return true;
        }
        p.destroy();
        boolean graceful = await(p, grace);
        if (!graceful) {
            p.destroyForcibly();
            await(p, Duration.ofSeconds(30));
        }
        LIVE.remove(p);
        note(graceful ? "stopped" : "did not stop within " + grace + "; killed");
        return graceful;
    }

    /** The exit code once the process has ended by itself within {@code timeout}; empty if it still runs. */
    Optional<Integer> awaitExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        if (!await(p, timeout)) {
            return Optional.empty();
        }
        LIVE.remove(p);
        note("ended by itself, exit " + p.exitValue());
        return Optional.of(p.exitValue());
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** The last lines of the log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void note(String what) {
        try {
            Files.writeString(
                    log,
                    "=== " + Instant.now() + " " + name + " " + what + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for people; losing one line of it is no reason to fail a run
        }
    }

    private static boolean await(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static volatile Path argFile;

    /**
     * The test classpath in a java argument file (a command line has a length limit; the classpath
     * of this project comes close). Surefire names it in {@code surefire.test.class.path};
     * {@code mvn exec:java} runs the test classes in a class loader of its own.
     */
    private static synchronized Path classpathArgFile() {
        if (argFile == null) {
            String classpath = System.getProperty("surefire.test.class.path");
            if (classpath == null && Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
                List<String> entries = new ArrayList<>();
                for (URL url : loader.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        throw new IllegalStateException("classpath entry " + url + " is not a file", e);
                    }
                }
                classpath = String.join(java.io.File.pathSeparator, entries);
            }
            if (classpath == null) {
                classpath = System.getProperty("java.class.path");
            }
            try {
                Path file = EngineFiles.runDir().resolve("classpath.args");
                String quoted = java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
                        .map(e -> e.replace("\\", "\\\\").replace("\"", "\\\""))
                        .collect(Collectors.joining(java.io.File.pathSeparator));
                Files.writeString(file, "-cp \"" + quoted + "\"\n", StandardCharsets.UTF_8);
                argFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return argFile;
    }
}
