/* cmd_stats.c — `newsarc stats` (not implemented yet: a placeholder so the
 * command table links; its owner replaces this file). */
#include "cli/cmd.h"

#include <string.h>

int cmd_stats(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: newsarc stats (not implemented yet)\n");
        return CMD_OK;
    }
    fprintf(stderr, "newsarc stats: not implemented yet\n");
    return CMD_USAGE;
}
