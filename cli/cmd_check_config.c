/* cmd_check_config.c — `newsarc check-config` (not implemented yet: a placeholder so the
 * command table links; its owner replaces this file). */
#include "cli/cmd.h"

#include <string.h>

int cmd_check_config(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: newsarc check-config (not implemented yet)\n");
        return CMD_OK;
    }
    fprintf(stderr, "newsarc check-config: not implemented yet\n");
    return CMD_USAGE;
}
