package peers;

import com.aizuda.snailjob.client.starter.EnableSnailJob;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The bench's executors on the Java SnailJob client; see PeerJobs and docs/benchmarks-peers.md. */
@SpringBootApplication
@EnableSnailJob
public class PeerApplication {
    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
        System.out.println("peer ready pid=" + ProcessHandle.current().pid());
    }
}
