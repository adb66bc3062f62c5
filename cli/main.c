/* main.c — the newsarc program: a table of subcommands (git's builtin/
 * pattern), `newsarc help [CMD]`, `--help`, `--version`. Each command lives in
 * its own cli/cmd_*.c and uses only the public headers of crawler/, parser/,
 * store/. */
#include "cli/cmd.h"

#include <string.h>

static const struct command commands[] = {
    { "crawl", cmd_crawl, "fetch what is new on the sites in sites.conf (cron mode)" },
    { "backfill", cmd_backfill, "walk a site's listing pages far back, resumably" },
    { "propose", cmd_propose, "propose a [site] section from a portal's homepage" },
    { "check-config", cmd_check_config, "validate sites.conf and print the resolved settings" },
    { "try", cmd_try, "show what one page would give with a site's rules (--explain)" },
    { "extract", cmd_extract, "extract clean article text and metadata from HTML files" },
    { "export", cmd_export, "stream the archive as jsonl, text, warc or cdxj" },
    { "get", cmd_get, "print the archived text, HTML or everything for one URL" },
    { "ls", cmd_ls, "list archived articles" },
    { "stats", cmd_stats, "summarize the archive" },
    { "serve", cmd_serve, "a read-only web view of the archive (HTML and JSON)" },
    { "report", cmd_report, "the daily digest: new articles, failures, alerts per site" },
    { "verify", cmd_verify, "check every WARC record and the index" },
    { "reindex", cmd_reindex, "rebuild index.sqlite from the WARC files" },
    { "reextract", cmd_reextract, "re-run the extractor over archived responses" },
};

const struct command *cmd_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc COMMAND [OPTIONS] [ARGS]\n"
               "       newsarc help COMMAND | newsarc COMMAND --help | newsarc --version\n\n"
               "A crawler and archiver for regional industry-news sites.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nSee newsarc(1) for details.\n");
}

int cmd_help(const char *name)
{
    const struct command *c = cmd_find(name);
    if (!c) {
        fprintf(stderr, "newsarc: unknown command '%s'\n", name);
        usage(stderr);
        return CMD_USAGE;
    }
    char *argv[] = { (char *)c->name, (char *)"--help", NULL };
    return c->run(2, argv);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CMD_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CMD_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return CMD_OK;
        }
        return cmd_help(argv[2]);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("newsarc %s\n", NEWSARC_VERSION);
        return CMD_OK;
    }
    const struct command *c = cmd_find(name);
    if (!c) {
        fprintf(stderr, "newsarc: unknown command '%s'\n", name);
        usage(stderr);
        return CMD_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
