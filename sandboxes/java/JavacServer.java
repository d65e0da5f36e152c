// polypass's resident Java compiler: javac in a JVM the worker keeps up between jobs.
//
// A cold javac spends most of its time starting a JVM and compiling javac itself; here the
// JIT has done that after the first jobs (0.39 s for Java's source-file mode, 0.02 s here).
// Each request is a fresh compilation (ToolProvider's run, what the javac command runs), so
// no state passes from one job to the next. The worker (sandboxes/runtime/worker.py) talks to
// it over stdin/stdout:
//   request:  one line, tab-separated: the job's directory, then javac's arguments
//   response: "<exit code> <byte count>\n", then that many bytes of javac's output (UTF-8)
// A JVM can't change its working directory, so "." and the .java files among the arguments
// are taken relative to the job's directory. An exception out of javac ends this process.
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class JavacServer {
    public static void main(String[] ignored) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream replies = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] fields = line.split("\t", -1);
            File directory = new File(fields[0]);
            String[] arguments = new String[fields.length - 1];
            for (int i = 1; i < fields.length; i++) {
                String argument = fields[i];
                boolean path = argument.equals(".") || argument.endsWith(".java");
                arguments[i - 1] = path && !new File(argument).isAbsolute()
                        ? new File(directory, argument).getPath() : argument;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            PrintStream captured = new PrintStream(output, true, StandardCharsets.UTF_8);
            System.setOut(captured);
            System.setErr(captured);
            int code;
            boolean crashed = false;
            try {
                code = javac.run(null, output, output, arguments);
            } catch (Throwable error) {
                error.printStackTrace(captured);
                code = 4;
                crashed = true;
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            byte[] text = output.toByteArray();
            replies.write((code + " " + text.length + "\n").getBytes(StandardCharsets.US_ASCII));
            replies.write(text);
            replies.flush();
            if (crashed) {
                System.exit(1);
            }
        }
    }
}
