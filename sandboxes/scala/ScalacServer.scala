// polypass's resident Scala compiler: scalac in a JVM the worker keeps up between jobs.
//
// A cold scalac spends ~1.5 s of CPU starting and JIT-compiling itself for a one-file program;
// warm, the same compilation takes a tenth of that. Each request is a fresh compilation (a new
// Global, what the scalac command runs), so no state passes from one job to the next. The
// worker (sandboxes/runtime/worker.py) talks to it over stdin/stdout:
//   request:  one line, tab-separated: the job's directory, then scalac's arguments
//   response: "<exit code> <byte count>\n", then that many bytes of scalac's output (UTF-8)
// A JVM can't change its working directory, so "." and the .scala files among the arguments
// are taken relative to the job's directory. -usejavacp sees the plain compiler's class path:
// this server's own directory is taken out of it. An exception out of scalac ends this process.
import java.io.{BufferedOutputStream, BufferedReader, ByteArrayOutputStream, File, FileDescriptor,
  FileOutputStream, InputStreamReader, PrintStream}
import java.nio.charset.StandardCharsets.{US_ASCII, UTF_8}

object ScalacServer {
  def main(ignored: Array[String]): Unit = {
    val home = new File(getClass.getProtectionDomain.getCodeSource.getLocation.toURI).getPath
    val classPath = System.getProperty("java.class.path").split(File.pathSeparator).filter(_ != home)
    System.setProperty("java.class.path", classPath.mkString(File.pathSeparator))
    val requests = new BufferedReader(new InputStreamReader(System.in, UTF_8))
    val replies = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out))
    var line = requests.readLine()
    while (line != null) {
      val fields = line.split("\t", -1)
      val directory = new File(fields(0))
      val arguments = fields.tail.map { argument =>
        val path = argument == "." || argument.endsWith(".scala")
        if (path && !new File(argument).isAbsolute) new File(directory, argument).getPath else argument
      }
      val output = new ByteArrayOutputStream
      val captured = new PrintStream(output, true, "UTF-8")
      var crashed = false
      val code =
        try {
          Console.withOut(captured) { Console.withErr(captured) { scala.tools.nsc.Main.process(arguments) } }
          if (scala.tools.nsc.Main.reporter.hasErrors) 1 else 0
        } catch {
          case error: Throwable =>
            error.printStackTrace(captured)
            crashed = true
            1
        }
      captured.flush()
      val text = output.toByteArray
      replies.write(s"$code ${text.length}\n".getBytes(US_ASCII))
      replies.write(text)
      replies.flush()
      if (crashed) sys.exit(1)
      line = requests.readLine()
    }
  }
}
