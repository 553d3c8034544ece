// In-process tuning harness for the optimizer samplers (not part of the Maven reactor).
// Tuning:  bench/optimizer/run.sh --in-process 'tpe;tpe:bw=0.7,gf=0.2' BUDGET SEEDS [FUNCS|all] [SEED_OFFSET]
//   prints median regret per function and its ratio to Optuna 3.1 TPE's (seeds 0-29, from run.py).
// Timing:  java -cp ... bench/optimizer/InProcessBench.java timing tpe:100 tpe:1000 gp:100
//   ask+tell cost of the sampler through a Study, without the protocol's pipe and JSON.
import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.gp.GpSampler;
import dev.prepsweep.sweep.sampler.tpe.TpeSampler;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

public class InProcessBench {
  record Fn(String name, double[] lo, double[] hi, double opt, ToDoubleFunction<double[]> f) {}

  static double[] fill(int d, double v) { double[] a = new double[d]; Arrays.fill(a, v); return a; }

  static final double[][] HA = {{10,3,17,3.5,1.7,8},{0.05,10,17,0.1,8,14},{3,3.5,1.7,10,17,8},{17,8,0.05,10,0.1,14}};
  static final double[] HALPHA = {1.0,1.2,3.0,3.2};
  static final double[][] HP = {{1312,1696,5569,124,8283,5886},{2329,4135,8307,3736,1004,9991},{2348,1451,3522,2883,3047,6650},{4047,8828,8732,5743,1091,381}};

  static List<Fn> fns() {
    List<Fn> l = new ArrayList<>();
    l.add(new Fn("branin", new double[]{-5,0}, new double[]{10,15}, 0.397887, x -> {
      double a=1,b=5.1/(4*Math.PI*Math.PI),c=5/Math.PI,r=6,s=10,t=1/(8*Math.PI);
      return a*Math.pow(x[1]-b*x[0]*x[0]+c*x[0]-r,2)+s*(1-t)*Math.cos(x[0])+s; }));
    l.add(new Fn("hartmann6", fill(6,0), fill(6,1), -3.32237, x -> {
      double o=0; for(int i=0;i<4;i++){double e=0; for(int j=0;j<6;j++) e+=HA[i][j]*Math.pow(x[j]-1e-4*HP[i][j],2); o+=HALPHA[i]*Math.exp(-e);} return -o; }));
    l.add(new Fn("rosenbrock4", fill(4,-5), fill(4,10), 0, x -> {
      double s=0; for(int i=0;i<x.length-1;i++) s+=100*Math.pow(x[i+1]-x[i]*x[i],2)+Math.pow(1-x[i],2); return s; }));
    l.add(new Fn("ackley5", fill(5,-32.768), fill(5,32.768), 0, x -> {
      double s1=0,s2=0; int d=x.length; for(double v:x){s1+=v*v;s2+=Math.cos(2*Math.PI*v);}
      return -20*Math.exp(-0.2*Math.sqrt(s1/d))-Math.exp(s2/d)+20+Math.E; }));
    l.add(new Fn("styblinski4", fill(4,-5), fill(4,5), -39.16616570377142*4, x -> {
      double s=0; for(double v:x) s+=v*v*v*v-16*v*v+5*v; return s/2; }));
    return l;
  }

  static Sampler make(String name, SearchSpace space, long seed) {
    List<Direction> dirs = List.of(Direction.MINIMIZE);
    return switch (name) {
      case "random" -> new RandomSampler(space, seed);
      case "tpe" -> new TpeSampler(space, dirs, seed);
      case "tpe-uni" -> new TpeSampler(space, dirs, seed, TpeSampler.Options.defaults().withMultivariate(false));
      case "tpe-optuna" -> new TpeSampler(space, dirs, seed, TpeSampler.Options.optunaDefaults());
      case "gp" -> new GpSampler(space, dirs, seed);
      default -> {
        if (!name.startsWith("tpe:")) throw new IllegalArgumentException(name);
        // tpe:cand=48,gf=0.1,gm=25,pw=1,mv=1,ep=0,st=10,cl=1
        TpeSampler.Options o = TpeSampler.Options.defaults();
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : name.substring(4).split(",")) { String[] a = part.split("="); kv.put(a[0], a[1]); }
        yield new TpeSampler(space, dirs, seed, new TpeSampler.Options(
            Integer.parseInt(kv.getOrDefault("st", "" + o.nStartupTrials())),
            Integer.parseInt(kv.getOrDefault("cand", "" + o.nEiCandidates())),
            kv.getOrDefault("mv", o.multivariate() ? "1" : "0").equals("1"),
            kv.getOrDefault("cl", o.constantLiar() ? "1" : "0").equals("1"),
            Double.parseDouble(kv.getOrDefault("gf", "" + o.gammaFraction())),
            Integer.parseInt(kv.getOrDefault("gm", "" + o.gammaMax())),
            Double.parseDouble(kv.getOrDefault("pw", "" + o.priorWeight())),
            kv.getOrDefault("mc", o.considerMagicClip() ? "1" : "0").equals("1"),
            kv.getOrDefault("ep", o.considerEndpoints() ? "1" : "0").equals("1"),
            Double.parseDouble(kv.getOrDefault("bw", "" + o.bandwidthScale()))));
      }
    };
  }

  // Optuna 3.1 TPE medians over seeds 0..29 at 100 trials (bench/optimizer/run.py, same functions)
  static final java.util.Map<String, Double> OPTUNA = java.util.Map.of("branin", 0.0215, "hartmann6", 0.228,
      "rosenbrock4", 54.26, "ackley5", 7.43, "styblinski4", 19.06);

  /** Sampler-only cost: ask+tell through a Study on hartmann6, after a warm-up run, no pipe or JSON. */
  static void timing(String sampler, int budget) {
    Fn fn = fns().get(1);
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < 6; i++) ps.add(new Parameter("x" + i, FloatDistribution.uniform(0, 1)));
    SearchSpace space = SearchSpace.of(ps);
    double[] spent = new double[2];
    double[] cpu = new double[2];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int rep = 0; rep < 2; rep++) {
      Study study = new Study(space, List.of(Direction.MINIMIZE), make(sampler, space, rep), null);
      for (int i = 0; i < budget; i++) {
        long t0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        Trial t = study.ask();
        spent[rep] += System.nanoTime() - t0;
        cpu[rep] += mx.getCurrentThreadCpuTime() - c0;
        double[] x = new double[6];
        for (int j = 0; j < 6; j++) x[j] = ((Number) t.params().get("x" + j)).doubleValue();
        double y = fn.f().applyAsDouble(x);
        t0 = System.nanoTime();
        c0 = mx.getCurrentThreadCpuTime();
        study.tell(t.number(), y);
        spent[rep] += System.nanoTime() - t0;
        cpu[rep] += mx.getCurrentThreadCpuTime() - c0;
      }
    }
    System.out.printf("timing %s n=%d: %.3f ms/trial wall, %.3f ms/trial CPU (second of two runs, in-process)%n",
        sampler, budget, spent[1] / 1e6 / budget, cpu[1] / 1e6 / budget);
  }

  public static void main(String[] args) {
    if (args[0].equals("timing")) {
      for (int i = 1; i < args.length; i++) {
        String[] sb = args[i].split(":");
        timing(sb[0], Integer.parseInt(sb[1]));
      }
      return;
    }
    int budget = Integer.parseInt(args[1]);
    int seeds = Integer.parseInt(args[2]);
    List<String> only = args.length > 3 && !args[3].equals("all") ? List.of(args[3].split(",")) : null;
    int offset = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    for (String sampler : args[0].split(";")) {
    StringBuilder line = new StringBuilder(String.format("%-40s", sampler));
    int wins = 0; double logRatio = 0; int nf = 0;
    for (Fn fn : fns()) {
      if (only != null && !only.contains(fn.name())) continue;
      List<Parameter> ps = new ArrayList<>();
      for (int i = 0; i < fn.lo().length; i++) ps.add(new Parameter("x" + i, FloatDistribution.uniform(fn.lo()[i], fn.hi()[i])));
      SearchSpace space = SearchSpace.of(ps);
      double[] regrets = new double[seeds];
      long t0 = System.nanoTime();
      for (int s = 0; s < seeds; s++) {
        Study study = new Study(space, List.of(Direction.MINIMIZE), make(sampler, space, s + offset), null);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < budget; i++) {
          Trial t = study.ask();
          double[] x = new double[ps.size()];
          for (int j = 0; j < x.length; j++) x[j] = ((Number) t.params().get("x" + j)).doubleValue();
          double y = fn.f().applyAsDouble(x);
          study.tell(t.number(), y);
          best = Math.min(best, y);
        }
        regrets[s] = best - fn.opt();
      }
      double ms = (System.nanoTime() - t0) / 1e6 / seeds / budget;
      double[] sorted = regrets.clone(); Arrays.sort(sorted);
      double med = seeds % 2 == 1 ? sorted[seeds/2] : 0.5*(sorted[seeds/2-1]+sorted[seeds/2]);
      double ref = OPTUNA.get(fn.name());
      if (med <= ref) wins++;
      logRatio += Math.log(med / ref); nf++;
      line.append(String.format(" %s=%.4g(%.2f)", fn.name(), med, med / ref));
      line.append(String.format("[%.2fms]", ms));
    }
    line.append(String.format("  wins=%d geo=%.3f", wins, Math.exp(logRatio / nf)));
    System.out.println(line);
    }
  }
}
