// The ask/tell protocol server the optimizer benchmark drives (not part of the Maven reactor).
//   java -cp SWEEP_CLASSPATH bench/optimizer/ProtocolServer.java --sampler NAME
// It lives here rather than in the sweep module because the pure core holds no command-line tool
// (no System.exit there: the build's ModuleBoundariesTest checks it); `prepsweep optimize` is the
// same protocol through the application's command line. This launcher needs only the sweep module's
// class path, so the benchmark does not build Spark's modules.
import dev.prepsweep.sweep.protocol.AskTellProtocol;
import dev.prepsweep.sweep.sampler.SamplerFactory;
import java.io.PrintStream;

public class ProtocolServer {
  public static void main(String[] args) {
    // Only protocol lines on stdout: anything else printing there (a logger bound to the console)
    // goes to stderr instead.
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    String sampler = null;
    if (args.length == 2 && args[0].equals("--sampler")) {
      sampler = args[1];
    } else if (args.length == 1 && args[0].startsWith("--sampler=")) {
      sampler = args[0].substring("--sampler=".length());
    }
    if (sampler == null) {
      System.err.println("usage: ProtocolServer.java --sampler NAME   (NAME one of " + SamplerFactory.METHODS + ")");
      System.exit(2);
    }
    System.exit(AskTellProtocol.run(System.in, protocolOut, sampler));
  }
}
