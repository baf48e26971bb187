#pragma once

// CommandGuard: the safety net in front of remote exec. checkCommand() reads a shell command line the way a
// POSIX shell would split it and refuses the patterns that destroy a machine or take it away from its user:
//
//   - recursive deletion (rm -r/-R, and rm --no-preserve-root) of '/', a top-level system directory
//     (/bin /boot /dev /etc /home /lib* /opt /proc /root /run /sbin /srv /sys /usr /var /snap, and /tmp
//     /mnt /media themselves), a few second-level ones (/usr/bin, /usr/lib, /usr/local, /var/lib, ...),
//     a home directory (~, $HOME, /home/<user>), everything in one of those (a pure wildcard like /etc/*),
//     or everything in the current directory (*, ., ./*, $PWD) — a remote command starts in the login user's home;
//     also "$VAR/" or "$VAR/etc" shapes that become such a path when the variable is empty;
//   - find <one of those> -delete / -exec rm; chmod/chown/chgrp -R on one of those; mv of one of those;
//   - making or wiping filesystems: mkfs, mkfs.*, mke2fs, mkswap, wipefs -a/-o (alone it only lists), blkdiscard;
//   - writing to a block device: dd of=/dev/sdX, nvmeXnY, vdX, hdX, xvdX, mmcblkN, disk*, md*, dm-*,
//     mapper/*, loop*, ...; "> /dev/sda" (any output redirection), tee /dev/sda, cp x /dev/sda, shred /dev/...;
//   - shutdown, reboot, poweroff, halt (shutdown -c and --help are fine), init/telinit 0 1 6 s,
//     systemctl/loginctl poweroff|reboot|halt|kexec|rescue|emergency (and start/isolate of those targets),
//     writes to /proc/sysrq-trigger, kill -1 / kill 1;
//   - Proxmox VE: qm destroy, pct destroy, pvesh delete /nodes/<node>/{qemu,lxc}/<vmid> (a guest and its disks);
//     pvecm expected, pvecm delnode (quorum votes, cluster membership);
//   - pools and volumes: zpool destroy, lvremove, vgremove (also as "lvm lvremove"; -t/--test runs are fine);
//   - fork bombs: a shell function that calls itself in the background or through a pipe
//     (":(){ :|:& };:", "bomb(){ bomb|bomb& };bomb", with any whitespace).
//
// It sees through ; && || | & newlines, ( ) { } groups, $(...), `...`, <(...), quoting and backslashes,
// leading VAR=value assignments, absolute paths (/sbin/reboot), and the wrappers sudo, doas, env (incl. -S),
// nohup, nice, ionice, timeout, time, exec, command, builtin, setsid, stdbuf, taskset, xargs, busybox, chroot,
// watch, eval, su/runuser -c, ssh <host> <command>, and sh/bash/dash/zsh/ksh -c '...'; text piped into a
// shell from echo/printf, and a shell's <<< here-string, are checked as commands too.
//
// Arguments are data: `echo reboot`, `grep shutdown /var/log/syslog`, `ls /dev/sda`, `man mkfs` are allowed.
// Here-document bodies are checked as if they were commands (in doubt, refuse). Commands the guard cannot
// see into (a script file, python -c, a command built at run time) are allowed: it is a safety net against
// accidents and careless agents, not a sandbox.

#include <QString>

namespace gpudeck {

struct GuardVerdict
{
    bool allowed = true;
    // When refused, in plain words: what was matched and why, e.g. "refused: 'rm -rf /' would delete the whole
    // filesystem; pass force to run it anyway".
    QString reason;
    // When refused, a short stable id of the rule: rm, find-delete, chmod, mv, mkfs, device-write, power,
    // sysrq, kill-all, guest-destroy, cluster, volume-destroy, fork-bomb, too-deep.
    QString rule;
};

GuardVerdict checkCommand(const QString &command);

} // namespace gpudeck
