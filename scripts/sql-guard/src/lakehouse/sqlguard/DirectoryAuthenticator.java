package lakehouse.sqlguard;

import java.util.HashSet;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Set;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Rdn;
import javax.security.sasl.AuthenticationException;

import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

/**
 * Who may open a session on the shared SQL endpoint: a person of the directory in one of the admitted groups,
 * or a service account. HiveServer2's own LDAP provider (in Spark 4.2: url, baseDN, domain, userDNPattern) has
 * no group filter, and the endpoint has no row-level security, so a locality manager, who must see only their
 * own locality, is kept to the dashboards (where RLS applies) by this check.
 *
 * <p>Enabled with {@code hive.server2.authentication=CUSTOM} and
 * {@code hive.server2.custom.authentication.class=lakehouse.sqlguard.DirectoryAuthenticator}; configured in
 * the endpoint's hive-site.xml:
 * <ul>
 *   <li>{@code lakehouse.sql.ldap.url}: {@code ldap://127.0.0.1:10389}</li>
 *   <li>{@code lakehouse.sql.ldap.peopleDN}: {@code ou=people,<base>} (people: simple bind, then groups)</li>
 *   <li>{@code lakehouse.sql.ldap.servicesDN}: {@code ou=services,<base>} (service accounts: simple bind)</li>
 *   <li>{@code lakehouse.sql.ldap.groupsDN}: {@code ou=groups,<base>}</li>
 *   <li>{@code lakehouse.sql.ldap.groups}: comma-separated admitted groups</li>
 * </ul>
 * The bind is as the user with the password they sent; the group search runs on that bound connection. An
 * empty password is refused before any bind (it would be an unauthenticated bind).
 */
public final class DirectoryAuthenticator implements PasswdAuthenticationProvider, Configurable {

    private Configuration conf;

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    private String setting(String key) throws AuthenticationException {
        String value = conf == null ? null : conf.get("lakehouse.sql.ldap." + key);
        if (value == null || value.isBlank()) {
            throw new AuthenticationException("lakehouse.sql.ldap." + key + " is not configured");
        }
        return value.trim();
    }

    @Override
    public void Authenticate(String user, String password) throws AuthenticationException {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw new AuthenticationException("Error validating LDAP user: empty user name or password");
        }
        String rdn = "uid=" + Rdn.escapeValue(user);
        String person = rdn + "," + setting("peopleDN");
        DirContext ctx = bind(person, password);
        if (ctx == null) {
            DirContext service = bind(rdn + "," + setting("servicesDN"), password);
            if (service == null) {
                throw new AuthenticationException("Error validating LDAP user");
            }
            close(service);
            return;
        }
        try {
            Set<String> admitted = new HashSet<>();
            for (String g : setting("groups").split(",")) {
                admitted.add(g.trim().toLowerCase(Locale.ROOT));
            }
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.ONELEVEL_SCOPE);
            controls.setReturningAttributes(new String[] {"cn"});
            NamingEnumeration<SearchResult> found = ctx.search(setting("groupsDN"),
                    "(&(objectClass=groupOfNames)(member={0}))", new Object[] {person}, controls);
            while (found.hasMore()) {
                Attribute cn = found.next().getAttributes().get("cn");
                if (cn != null && admitted.contains(String.valueOf(cn.get()).toLowerCase(Locale.ROOT))) {
                    return;
                }
            }
            throw new AuthenticationException("Error validating LDAP user: " + user + " is in none of the groups "
                    + "admitted to the SQL endpoint (" + setting("groups") + ")");
        } catch (NamingException e) {
            throw new AuthenticationException("Error validating LDAP user", e);
        } finally {
            close(ctx);
        }
    }

    private DirContext bind(String dn, String password) throws AuthenticationException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, setting("url"));
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        env.put(Context.SECURITY_CREDENTIALS, password);
        env.put("com.sun.jndi.ldap.connect.timeout", "5000");
        env.put("com.sun.jndi.ldap.read.timeout", "10000");
        try {
            return new InitialDirContext(env);
        } catch (javax.naming.AuthenticationException e) {
            return null; // wrong password, unknown or locked (disabled) account
        } catch (NamingException e) {
            throw new AuthenticationException("Error validating LDAP user: directory unreachable", e);
        }
    }

    private static void close(DirContext ctx) {
        try {
            ctx.close();
        } catch (NamingException ignored) {
            // closing a finished connection
        }
    }
}
