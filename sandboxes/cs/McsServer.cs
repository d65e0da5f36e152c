// polypass's resident C# compiler: Mono's mcs, loaded once per container, compiling one job at a time.
//
// A cold `mcs` spends most of its 0.14 s starting Mono and loading itself; this process pays
// that once. The worker (sandboxes/runtime/worker.py) talks to it over stdin/stdout:
//   request:  one line, tab-separated: the job's directory, then mcs's arguments
//   response: "<exit code> <byte count>\n", then that many bytes of mcs's output (UTF-8)
// mcs's CompilerCallableEntryPoint resets the compiler's static state on every call (it is
// how ASP.NET compiled pages in-process). An exception out of the compiler ends this process,
// so no half-reset compiler sees the next job: the worker starts a fresh one.
using System;
using System.IO;
using System.Reflection;
using System.Text;

static class McsServer
{
    const string McsAssembly = "/usr/lib/mono/4.5/mcs.exe";

    static int Main()
    {
        MethodInfo invokeCompiler = Assembly.LoadFrom(McsAssembly)
            .GetType("Mono.CSharp.CompilerCallableEntryPoint", true)
            .GetMethod("InvokeCompiler", new[] { typeof(string[]), typeof(TextWriter) });
        Stream replies = Console.OpenStandardOutput();
        TextReader requests = Console.In;
        string line;
        while ((line = requests.ReadLine()) != null)
        {
            string[] fields = line.Split('\t');
            string[] arguments = new string[fields.Length - 1];
            Array.Copy(fields, 1, arguments, 0, arguments.Length);
            var output = new StringWriter();
            Console.SetOut(output);
            Console.SetError(output);
            bool succeeded;
            bool crashed = false;
            try
            {
                Directory.SetCurrentDirectory(fields[0]);
                succeeded = (bool)invokeCompiler.Invoke(null, new object[] { arguments, output });
            }
            catch (Exception error)
            {
                output.WriteLine(error.InnerException ?? error);
                succeeded = false;
                crashed = true;
            }
            byte[] text = Encoding.UTF8.GetBytes(output.ToString());
            byte[] header = Encoding.ASCII.GetBytes((succeeded ? 0 : 1) + " " + text.Length + "\n");
            replies.Write(header, 0, header.Length);
            replies.Write(text, 0, text.Length);
            replies.Flush();
            if (crashed)
                return 1;
        }
        return 0;
    }
}
