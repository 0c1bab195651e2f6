package nl.wmogateway.support.engines;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every engine process the tests start: runs the real main class and ends the
 * process as soon as its standard input closes, which happens when the test JVM that started it
 * exits or dies. No broker or gateway outlives the test run that made it. It ends it with
 * {@code System.exit}, not {@code halt}: {@code Process.destroy()} (a graceful stop) closes the
 * pipe too, and a halt would then cut short the shutdown the SIGTERM began (an H2 database loses
 * the commits of its last second that way).
 *
 * <pre>java ... nl.wmogateway.support.engines.ChildMain &lt;main class&gt; [args...]</pre>
 */
public final class ChildMain {

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChildMain <main class> [args...]");
        }
        Thread watch = new Thread(ChildMain::haltWhenParentGone, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void haltWhenParentGone() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; reading only waits for the end of the stream
            }
        } catch (IOException e) {
            // a broken pipe means the same: the parent is gone
        }
        System.exit(3);
    }
}
