// EpubcheckMany: checks many EPUB files with epubcheck in one JVM.
//
//   java -cp /usr/share/java/epubcheck.jar tests/epub/EpubcheckMany.java a.epub b.epub ...
//
// Starting epubcheck costs seconds per JVM; this launcher starts one and
// calls epubcheck's public API (com.adobe.epubcheck.api.EpubCheck) for each
// file, with a report that counts messages by severity the way epubcheck's
// own command line does (FATAL, ERROR, WARNING; USAGE and INFO are counted
// but are not problems). Prints one JSON object per line and file:
//
//   {"file": "...", "fatal": 0, "error": 0, "warning": 0, "info": 0, "usage": 0,
//    "messages": [{"severity": "ERROR", "id": "RSC-005", "location": "...", "message": "..."}]}
//
// Exit status: 0 when every file has no fatal error, error or warning, 1 when
// one has, 2 on a usage error. Single-file source launch needs a JDK
// (jdk.compiler), not just a JRE.

import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.api.MasterReport;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.messages.Severity;
import com.adobe.epubcheck.util.FeatureEnum;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

public class EpubcheckMany {
  static final class CountingReport extends MasterReport {
    int fatal, error, warning, info, usage;
    final List<String> messages = new ArrayList<>();

    CountingReport(String name) {
      super(false);
      setEpubFileName(name);
    }

    @Override
    public void message(Message m, EPUBLocation where, Object... args) {
      Severity s = m.getSeverity();
      switch (s) {
        case FATAL: fatal++; break;
        case ERROR: error++; break;
        case WARNING: warning++; break;
        case INFO: info++; break;
        case USAGE: usage++; break;
        default: return;  // SUPPRESSED
      }
      if (s == Severity.INFO || s == Severity.USAGE) return;
      String loc = where == null ? "" : where.getPath() + ":" + where.getLine() + ":" + where.getColumn();
      messages.add("{\"severity\": " + json(s.name()) + ", \"id\": " + json(m.getID().name())
          + ", \"location\": " + json(loc) + ", \"message\": " + json(m.getMessage(args)) + "}");
    }

    @Override public void info(String path, FeatureEnum feature, String value) {}
    @Override public void initialize() {}
    @Override public int generate() { return 0; }
  }

  static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: java -cp epubcheck.jar EpubcheckMany.java book.epub...");
      System.exit(2);
    }
    System.err.println("EpubcheckMany: epubcheck " + EpubCheck.version());
    boolean clean = true;
    for (String path : args) {
      File f = new File(path);
      CountingReport r = new CountingReport(f.getName());
      if (!f.isFile()) {
        r.fatal++;
        r.messages.add("{\"severity\": \"FATAL\", \"id\": \"MISSING\", \"location\": \"\", \"message\": "
            + json("no such file: " + path) + "}");
      } else {
        try {
          new EpubCheck(f, r).doValidate();
        } catch (Throwable t) {  // a crash inside epubcheck is a failure of this file, not of the run
          StringWriter w = new StringWriter();
          t.printStackTrace(new PrintWriter(w));
          r.fatal++;
          r.messages.add("{\"severity\": \"FATAL\", \"id\": \"EXCEPTION\", \"location\": \"\", \"message\": "
              + json(w.toString()) + "}");
        }
      }
      if (r.fatal + r.error + r.warning > 0) clean = false;
      System.out.println("{\"file\": " + json(path) + ", \"fatal\": " + r.fatal + ", \"error\": " + r.error
          + ", \"warning\": " + r.warning + ", \"info\": " + r.info + ", \"usage\": " + r.usage
          + ", \"messages\": [" + String.join(", ", r.messages) + "]}");
      System.out.flush();
    }
    System.exit(clean ? 0 : 1);
  }
}
