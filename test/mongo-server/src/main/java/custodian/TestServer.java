package custodian;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import java.net.InetSocketAddress;
import java.util.List;

/** Serves the memory backend (with the _id lookup of IdLookupBackend) on 127.0.0.1:<port> (0: any free port), prints the port, and stops when stdin closes. */
public final class TestServer {
  /** The backend's newest preset reports wire version 8; the Node driver 7.x needs 9 or more. */
  private static final MongoVersion VERSION = new MongoVersion() {
    public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
    public int getWireVersion() { return 13; }
  };

  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new IdLookupBackend().version(VERSION));
    server.bind("127.0.0.1", args.length > 0 ? Integer.parseInt(args[0]) : 0);
    System.out.println("listening " + ((InetSocketAddress) server.getLocalAddress()).getPort());
    System.out.flush();
    while (System.in.read() != -1) { /* the owner holds stdin open while it needs the server */ }
    server.shutdownNow();
  }
}
