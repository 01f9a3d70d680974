package lakehouse.sqlguard;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.SetCommand;

import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The shared SQL endpoint's guard: a check rule (SparkSessionExtensions.injectCheckRule) that runs on every
 * analysed plan, before any command executes, and refuses what a reader of the lakehouse must not do.
 *
 * <ul>
 *   <li>every command except reading metadata (SHOW, DESCRIBE, EXPLAIN, USE, SET of a harmless key):
 *       CREATE / INSERT / MERGE / UPDATE / DELETE / DROP / ALTER, INSERT OVERWRITE DIRECTORY, LOAD DATA,
 *       ADD JAR|FILE|ARCHIVE, CREATE FUNCTION, CACHE ...: the endpoint is read-only for every account;</li>
 *   <li>scripts: SELECT TRANSFORM / MAP / REDUCE ... USING (ScriptTransformation);</li>
 *   <li>Java calls: reflect, java_method, try_reflect (CallMethodViaReflection);</li>
 *   <li>any query while a protection was switched back on by some route (SET, the session configuration of
 *       OpenSession, hivevar): spark.sql.runSQLOnFiles and spark.sql.variable.substitute must stay false and
 *       no catalog may be added or changed (spark.sql.catalog.*).</li>
 * </ul>
 *
 * Enabled on the Thrift server only: {@code spark.sql.extensions=...,lakehouse.sqlguard.SqlGuardExtension}.
 * Jobs and dbt's session target keep full Spark. Keys SET may change: {@code spark.lakehouse.sqlguard.settable}
 * (comma-separated prefixes; default {@link #DEFAULT_SETTABLE}).
 */
public final class SqlGuardExtension extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    /** Settings that must keep these values in every session of the endpoint. */
    static final Map<String, String> PROTECTED = Map.of(
            "spark.sql.runSQLOnFiles", "false",
            "spark.sql.variable.substitute", "false");

    /** Key prefixes no session may set to anything other than the server's own value. */
    static final List<String> FROZEN_PREFIXES = List.of("spark.sql.catalog.");

    static final String DEFAULT_SETTABLE = "spark.sql.shuffle.partitions,spark.sql.session.timeZone,"
            + "spark.sql.ansi.enabled,spark.sql.adaptive.,spark.sql.autoBroadcastJoinThreshold,"
            + "spark.sql.files.maxPartitionBytes";

    /** Commands that only read metadata or the session's own state. */
    static final Set<String> READ_COMMANDS = new HashSet<>(Arrays.asList(
            "ExplainCommand", "SetCommand", "ResetCommand", "SetCatalogAndNamespace", "SetNamespaceCommand",
            "SetCatalogCommand"));

    static final Set<String> JAVA_CALLS = new HashSet<>(Arrays.asList("CallMethodViaReflection", "TryReflect"));

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectCheckRule(new AbstractFunction1<SparkSession, scala.Function1<LogicalPlan, BoxedUnit>>() {
            @Override
            public scala.Function1<LogicalPlan, BoxedUnit> apply(SparkSession session) {
                return new Check(session);
            }
        });
        return BoxedUnit.UNIT;
    }

    /** Thrown for every refusal; the message reaches the SQL client. */
    public static final class Refused extends SecurityException {
        private static final long serialVersionUID = 1L;

        Refused(String what) {
            super("Refused by the lakehouse SQL endpoint (read-only, no scripts, no Java, no file paths) / "
                    + "điểm truy vấn SQL dùng chung từ chối: " + what);
        }
    }

    static final class Check extends AbstractFunction1<LogicalPlan, BoxedUnit> {
        private final SparkSession session;

        Check(SparkSession session) {
            this.session = session;
        }

        @Override
        public BoxedUnit apply(LogicalPlan plan) {
            checkProtections();
            plan.foreachWithSubqueries(new AbstractFunction1<LogicalPlan, BoxedUnit>() {
                @Override
                public BoxedUnit apply(LogicalPlan node) {
                    checkNode(node);
                    return BoxedUnit.UNIT;
                }
            });
            return BoxedUnit.UNIT;
        }

        private void checkProtections() {
            for (Map.Entry<String, String> p : PROTECTED.entrySet()) {
                String value = session.conf().get(p.getKey(), p.getValue());
                if (!p.getValue().equalsIgnoreCase(value.trim())) {
                    throw new Refused(p.getKey() + " was changed to " + value + " in this session");
                }
            }
            SparkConf server = session.sparkContext().getConf();
            Map<String, String> all = CollectionConverters.asJava(session.conf().getAll());
            for (Map.Entry<String, String> e : all.entrySet()) {
                for (String prefix : FROZEN_PREFIXES) {
                    if (e.getKey().startsWith(prefix)) {
                        Option<String> own = server.getOption(e.getKey());
                        if (own.isEmpty() || !own.get().equals(e.getValue())) {
                            throw new Refused(e.getKey() + " was set in this session");
                        }
                    }
                }
            }
        }

        private void checkNode(LogicalPlan node) {
            String name = node.getClass().getSimpleName();
            if (name.startsWith("ScriptTransformation")) {
                throw new Refused("scripts (TRANSFORM / MAP / REDUCE ... USING)");
            }
            if (node instanceof SetCommand) {
                checkSet((SetCommand) node);
            } else if (node instanceof Command && !readOnly(name)) {
                throw new Refused(name + ": the endpoint is read-only (no DDL, DML, files, jars or functions)");
            }
            scala.collection.Iterator<Expression> it = node.expressions().iterator();
            while (it.hasNext()) {
                it.next().foreach(new AbstractFunction1<Expression, BoxedUnit>() {
                    @Override
                    public BoxedUnit apply(Expression e) {
                        if (JAVA_CALLS.contains(e.getClass().getSimpleName())) {
                            throw new Refused("calling Java (reflect / java_method / try_reflect)");
                        }
                        return BoxedUnit.UNIT;
                    }
                });
            }
        }

        private static boolean readOnly(String name) {
            return name.startsWith("Show") || name.startsWith("Describe") || READ_COMMANDS.contains(name);
        }

        private void checkSet(SetCommand set) {
            Option<Tuple2<String, Option<String>>> kv = set.kv();
            if (kv.isEmpty() || kv.get()._2().isEmpty()) {
                return; // SET, SET -v, SET key: reading (values of secrets are redacted by Spark)
            }
            String key = kv.get()._1().trim();
            String lower = key.toLowerCase(Locale.ROOT);
            String settable = session.sparkContext().getConf().get("spark.lakehouse.sqlguard.settable",
                    DEFAULT_SETTABLE);
            for (String prefix : settable.split(",")) {
                String p = prefix.trim().toLowerCase(Locale.ROOT);
                if (!p.isEmpty() && (p.endsWith(".") ? lower.startsWith(p) : lower.equals(p))) {
                    return;
                }
            }
            throw new Refused("SET " + key + " (only " + settable + " may be changed)");
        }
    }
}
