#include "ssh/CommandGuard.h"

#include <QTest>

using namespace gpudeck;

// The exec guard: many destructive commands refused (with the rule that caught them), and many ordinary ones
// allowed — false positives matter as much, since every refusal costs an agent or a user a retry with force.
class TestCommandGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refused_data();
    void refused();
    void allowed_data();
    void allowed();
    void reasonIsPlain();
    void reasonShowsWhatMatched();
};

void TestCommandGuard::refused_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("rule");

    auto row = [](const char *command, const char *rule) {
        QTest::newRow(QByteArray(command).replace('\n', "\\n").constData())
            << QString::fromUtf8(command) << QString::fromUtf8(rule);
    };

    // rm of the root, in all its spellings
    row("rm -rf /", "rm");
    row("rm -fr /", "rm");
    row("rm -r -f /", "rm");
    row("rm -Rf /", "rm");
    row("rm --recursive --force /", "rm");
    row("rm -rf /*", "rm");
    row("rm -rf --no-preserve-root /", "rm");
    row("rm --no-preserve-root -rf /tmp/x", "rm");
    row("rm -rf -- /", "rm");
    row("rm -rf //", "rm");
    row("rm -rf /.", "rm");
    row("rm -rf /tmp/..", "rm");
    row("rm -rf /tmp/../etc", "rm");
    row("rm -rf \"/\"", "rm");
    row("rm -rf '/'", "rm");
    row("rm -rf /\"\"", "rm");
    row("/bin/rm -rf /", "rm");
    row("\\rm -rf /", "rm");
    row("rm -rfv /", "rm");
    row("rm -r /", "rm");
    row("rm -rf /e*", "rm");
    // system directories, home directories, everything in one of them
    row("rm -rf /etc", "rm");
    row("rm -rf /etc/", "rm");
    row("rm -rf /etc/*", "rm");
    row("rm -rf /home", "rm");
    row("rm -rf /home/*", "rm");
    row("rm -rf /home/someone", "rm");
    row("rm -rf /home/someone/*", "rm");
    row("rm -rf /usr", "rm");
    row("rm -rf /usr/bin", "rm");
    row("rm -rf /usr/lib/*", "rm");
    row("rm -rf /usr/local", "rm");
    row("rm -rf /var", "rm");
    row("rm -rf /var/lib", "rm");
    row("rm -rf /boot", "rm");
    row("rm -rf /dev", "rm");
    row("rm -rf /lib", "rm");
    row("rm -rf /lib64", "rm");
    row("rm -rf /opt", "rm");
    row("rm -rf /srv", "rm");
    row("rm -rf /root", "rm");
    row("rm -rf /bin /tmp/x", "rm");
    row("rm -rf /tmp", "rm");
    row("rm -rf /{bin,etc}", "rm");
    row("rm -f /etc/*", "rm");
    row("rm -rf ~", "rm");
    row("rm -rf ~/", "rm");
    row("rm -rf ~/*", "rm");
    row("rm -rf ~/.*", "rm");
    row("rm -rf ~root", "rm");
    row("rm -rf $HOME", "rm");
    row("rm -rf \"$HOME\"", "rm");
    row("rm -rf ${HOME}/", "rm");
    row("rm -rf $HOME/*", "rm");
    row("rm -rf \"$DIR\"/", "rm");
    row("rm -rf $DIR/*", "rm");
    row("rm -rf ${PREFIX}/etc", "rm");
    row("rm -rf *", "rm");
    row("rm -rf .", "rm");
    row("rm -rf ./", "rm");
    row("rm -rf ./*", "rm");
    row("rm -rf .*", "rm");
    row("rm -rf ..", "rm");
    row("rm -rf ../*", "rm");
    row("rm -rf $(pwd)", "rm");
    row("rm -rf \"$PWD\"/*", "rm");
    row("cd / && rm -rf *", "rm");
    row("$'rm' -rf /", "rm");
    row("a=$(reboot)", "power");
    // seeing through wrappers and separators
    row("sudo rm -rf /", "rm");
    row("sudo -u root rm -rf /", "rm");
    row("sudo -E -H rm -rf /", "rm");
    row("sudo --user=root rm -rf /", "rm");
    row("doas rm -rf /", "rm");
    row("env rm -rf /", "rm");
    row("env -i PATH=/bin rm -rf /", "rm");
    row("env -S 'rm -rf /'", "rm");
    row("FOO=1 rm -rf /", "rm");
    row("nohup rm -rf / &", "rm");
    row("nice -n 10 rm -rf /", "rm");
    row("ionice -c3 rm -rf /", "rm");
    row("timeout 10 rm -rf /", "rm");
    row("timeout -s KILL 10s rm -rf /", "rm");
    row("time rm -rf /", "rm");
    row("exec rm -rf /", "rm");
    row("command rm -rf /", "rm");
    row("setsid rm -rf /", "rm");
    row("stdbuf -oL rm -rf /", "rm");
    row("xargs rm -rf /", "rm");
    row("busybox rm -rf /", "rm");
    row("sudo nohup nice -n 5 env A=1 rm -rf /", "rm");
    row("echo hi; rm -rf /", "rm");
    row("echo hi;rm -rf /", "rm");
    row("true && rm -rf /", "rm");
    row("false || rm -rf /", "rm");
    row("ls | rm -rf /", "rm");
    row("sleep 1 & rm -rf /", "rm");
    row("echo hi\nrm -rf /", "rm");
    row("   rm    -rf     /   ", "rm");
    row("\trm\t-rf\t/", "rm");
    row("echo $(rm -rf /)", "rm");
    row("echo \"$(rm -rf /)\"", "rm");
    row("echo `rm -rf /`", "rm");
    row("x=$(echo a; rm -rf /)", "rm");
    row("diff <(rm -rf /) /dev/null", "rm");
    row("bash -c 'rm -rf /'", "rm");
    row("sh -c \"rm -rf /\"", "rm");
    row("bash -lc 'cd /tmp && rm -rf /'", "rm");
    row("sudo sh -c 'rm -rf /'", "rm");
    row("sh -c \"sh -c 'rm -rf /'\"", "rm");
    row("su -c 'rm -rf /'", "rm");
    row("su root -c 'rm -rf /'", "rm");
    row("ssh node-2.example.org rm -rf /", "rm");
    row("ssh -p 2222 admin@203.0.113.10 'rm -rf /'", "rm");
    row("eval 'rm -rf /'", "rm");
    row("echo 'rm -rf /' | sh", "rm");
    row("echo rm -rf / | sudo bash", "rm");
    row("printf 'rm -rf /' | bash", "rm");
    row("bash <<< 'rm -rf /'", "rm");
    row("if true; then rm -rf /; fi", "rm");
    row("for i in 1; do rm -rf /; done", "rm");
    row("( rm -rf / )", "rm");
    row("{ rm -rf /; }", "rm");
    row("cd /tmp && (sudo rm -rf /)", "rm");
    row("watch -n 1 rm -rf /", "rm");
    // other ways to delete everything
    row("find / -delete", "find-delete");
    row("find / -name '*' -delete", "find-delete");
    row("find /etc -exec rm -rf {} +", "find-delete");
    row("find ~ -type f -delete", "find-delete");
    row("chmod -R 777 /", "chmod");
    row("chmod -R 000 /etc", "chmod");
    row("sudo chmod --recursive a+rwx /", "chmod");
    row("chown -R nobody:nogroup /", "chmod");
    row("chown -R user /usr", "chmod");
    row("chgrp -R users /", "chmod");
    row("mv / /tmp/x", "mv");
    row("mv /etc /tmp/etc.bak", "mv");
    row("mv ~ /tmp/gone", "mv");
    // filesystems
    row("mkfs /dev/sda1", "mkfs");
    row("mkfs.ext4 /dev/sda1", "mkfs");
    row("mkfs.xfs -f /dev/nvme0n1p2", "mkfs");
    row("sudo mkfs.ext4 -F /dev/vdb", "mkfs");
    row("/sbin/mkfs.vfat /dev/sdb1", "mkfs");
    row("mke2fs /dev/sdc", "mkfs");
    row("mkswap /dev/sda2", "mkfs");
    row("wipefs -a /dev/sda", "mkfs");
    row("blkdiscard /dev/nvme0n1", "mkfs");
    row("wipefs --all /dev/sdb", "mkfs");
    row("wipefs -o 0x438 /dev/sdb1", "mkfs");
    row("sudo wipefs -af /dev/nvme1n1", "mkfs");
    row("/usr/sbin/wipefs -a /dev/sda", "mkfs");
    // Proxmox VE: guests, quorum votes, cluster membership
    row("qm destroy 100", "guest-destroy");
    row("qm destroy 100 --purge --destroy-unreferenced-disks 1", "guest-destroy");
    row("/usr/sbin/qm destroy 100", "guest-destroy");
    row("sudo qm destroy 100", "guest-destroy");
    row("env LC_ALL=C qm destroy 100", "guest-destroy");
    row("sh -c 'qm destroy 100'", "guest-destroy");
    row("qm stop 100 && qm destroy 100", "guest-destroy");
    row("for id in 100 101; do qm destroy $id; done", "guest-destroy");
    row("pct destroy 200", "guest-destroy");
    row("pct destroy 200 --force --purge", "guest-destroy");
    row("sudo -u root /usr/sbin/pct destroy 200", "guest-destroy");
    row("ssh node-2.example.org pct destroy 200", "guest-destroy");
    row("pvesh delete /nodes/node-1/qemu/100", "guest-destroy");
    row("pvesh delete /nodes/node-1/lxc/200/", "guest-destroy");
    row("pvecm expected 1", "cluster");
    row("sudo pvecm expected 1", "cluster");
    row("bash -c 'pvecm expected 1'", "cluster");
    row("/usr/bin/pvecm delnode node-3", "cluster");
    row("pvecm delnode node-3", "cluster");
    // pools and volumes
    row("zpool destroy tank", "volume-destroy");
    row("zpool destroy -f rpool", "volume-destroy");
    row("sudo /usr/sbin/zpool destroy tank", "volume-destroy");
    row("timeout 30 zpool destroy tank", "volume-destroy");
    row("lvremove pve/vm-100-disk-0", "volume-destroy");
    row("lvremove -y pve/data", "volume-destroy");
    row("sudo /sbin/lvremove -f /dev/pve/vm-100-disk-0", "volume-destroy");
    row("lvm lvremove pve/vm-100-disk-0", "volume-destroy");
    row("vgremove pve", "volume-destroy");
    row("vgremove -ff pve", "volume-destroy");
    row("nohup vgremove pve &", "volume-destroy");
    // writing to disks
    row("dd if=/dev/zero of=/dev/sda", "device-write");
    row("dd if=/dev/zero of=/dev/sda bs=1M count=10", "device-write");
    row("dd if=image.iso of=/dev/sdb bs=4M status=progress", "device-write");
    row("dd if=/dev/urandom of=/dev/nvme0n1", "device-write");
    row("dd if=/dev/zero of=/dev/nvme0n1p1", "device-write");
    row("dd of=/dev/vda if=/dev/zero", "device-write");
    row("dd if=/dev/zero of=/dev/hda", "device-write");
    row("dd if=/dev/zero of=/dev/mmcblk0", "device-write");
    row("dd if=/dev/zero of=/dev/disk2", "device-write");
    row("dd if=/dev/zero of=/dev/xvda", "device-write");
    row("dd if=/dev/zero of=/dev/md0", "device-write");
    row("dd if=/dev/zero of=/dev/mapper/vg-root", "device-write");
    row("dd if=/dev/zero of=/dev/disk/by-id/nvme-example", "device-write");
    row("sudo dd if=/dev/zero of=/dev/sda", "device-write");
    row("echo x > /dev/sda", "device-write");
    row("echo x >/dev/sda", "device-write");
    row("> /dev/sda", "device-write");
    row(">/dev/nvme0n1", "device-write");
    row("cat x > /dev/sdb1", "device-write");
    row("cat x >> /dev/sdb", "device-write");
    row("cat image 1>/dev/sdb", "device-write");
    row("cat image &> /dev/sdb", "device-write");
    row("cat /dev/zero | tee /dev/sda", "device-write");
    row("sudo tee /dev/sda < image.img", "device-write");
    row("cp image.img /dev/sdb", "device-write");
    row("shred /dev/sda", "device-write");
    row("shred -n 3 -z /dev/nvme0n1", "device-write");
    // taking the machine down
    row("shutdown", "power");
    row("shutdown -h now", "power");
    row("shutdown -r +5", "power");
    row("sudo shutdown now", "power");
    row("reboot", "power");
    row("sudo reboot", "power");
    row("reboot -f", "power");
    row("/sbin/reboot", "power");
    row("poweroff", "power");
    row("halt", "power");
    row("halt -p", "power");
    row("init 0", "power");
    row("init 6", "power");
    row("sudo telinit 6", "power");
    row("systemctl poweroff", "power");
    row("systemctl reboot", "power");
    row("sudo systemctl halt", "power");
    row("systemctl -i reboot", "power");
    row("systemctl kexec", "power");
    row("systemctl isolate rescue.target", "power");
    row("systemctl start reboot.target", "power");
    row("loginctl poweroff", "power");
    row("nvidia-smi; sudo reboot", "power");
    row("sleep 60 && reboot", "power");
    row("echo b > /proc/sysrq-trigger", "sysrq");
    row("echo o | sudo tee /proc/sysrq-trigger", "sysrq");
    row("kill -9 -1", "kill-all");
    row("kill -KILL -1", "kill-all");
    row("sudo kill -9 1", "kill-all");
    row("kill 1", "kill-all");
    // fork bombs
    row(":(){ :|:& };:", "fork-bomb");
    row(":(){ :|: & };:", "fork-bomb");
    row(": ( ) { : | : & } ; :", "fork-bomb");
    row(":(){\n:|:&\n};:", "fork-bomb");
    row("bomb(){ bomb|bomb& };bomb", "fork-bomb");
    row("bomb() { bomb | bomb & }; bomb", "fork-bomb");
    row("function bomb { bomb | bomb & }; bomb", "fork-bomb");
    row("f(){ f & f; }; f", "fork-bomb");
    row("bash -c ':(){ :|:& };:'", "fork-bomb");
}

void TestCommandGuard::refused()
{
    QFETCH(QString, command);
    QFETCH(QString, rule);
    const GuardVerdict verdict = checkCommand(command);
    QVERIFY2(!verdict.allowed, qPrintable(QStringLiteral("allowed: %1").arg(command)));
    QCOMPARE(verdict.rule, rule);
    QVERIFY(verdict.reason.startsWith(QLatin1String("refused: '")));
    QVERIFY(verdict.reason.endsWith(QLatin1String("; pass force to run it anyway")));
}

void TestCommandGuard::allowed_data()
{
    QTest::addColumn<QString>("command");

    const char *commands[] = {
        "",
        "   ",
        "nvidia-smi",
        "nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -lms 1000",
        "docker rm -f vllm",
        "docker ps -a",
        "docker run --rm -d --gpus all -p 8000:8000 vllm/vllm-openai --model example/model",
        "rm -rf ./build",
        "rm -rf ./out",
        "rm -rf build",
        "rm -rf /tmp/build",
        "rm -rf /tmp/*",
        "rm -rf /home/me/project/build",
        "rm -rf ~/project/build",
        "rm -rf $HOME/.cache/pip",
        "rm -rf \"$BUILD_DIR\"",
        "rm -rf \"$BUILD_DIR/out\"",
        "rm -rf /var/lib/docker/tmp",
        "rm -rf /var/log/app/*.log",
        "rm -rf /usr/local/cuda-11.8",
        "rm -rf /opt/conda/pkgs",
        "rm -rf *.o",
        "rm -rf .git",
        "rm -rf ../build",
        "rm -f *",
        "rm -f /tmp/lock",
        "rm /etc/nginx/sites-enabled/default",
        "rm -r node_modules",
        "sudo rm -rf /srv/models/old-checkpoint",
        "find . -name '*.pyc' -delete",
        "find /tmp -name 'core.*' -delete",
        "find / -name nvidia-smi",
        "find /etc -name '*.conf'",
        "chmod -R 755 ./scripts",
        "chmod 600 ~/.ssh/id_ed25519",
        "chmod 755 /",
        "chown -R me:me /home/me/project",
        "mv ./a ./b",
        "mv /tmp/x /tmp/y",
        "dd if=/dev/sda of=./backup.img",
        "dd if=/dev/zero of=./file bs=1M count=100",
        "dd if=/dev/urandom of=/tmp/random.bin count=1",
        "dd if=/dev/nvme0n1 of=/mnt/backup/disk.img bs=4M",
        "cat /dev/sda > /dev/null",
        "echo hi > /dev/null",
        "echo hi 2>/dev/null",
        "ls > /dev/stderr",
        "python train.py 2>&1 | tee train.log",
        "tee /tmp/out.log",
        "cp /dev/sda ./disk.img",
        "ls /dev/sda",
        "ls -la /dev/nvme0n1",
        "lsblk",
        "blkid /dev/sda1",
        "smartctl -a /dev/nvme0",
        "grep shutdown /var/log/syslog",
        "grep -r 'rm -rf /' ./scripts",
        "journalctl -b -1 | grep -i reboot",
        "echo reboot",
        "echo 'rm -rf /'",
        "printf 'mkfs /dev/sda\\n'",
        "echo 'rm -rf /' > notes.txt",
        "man mkfs",
        "man reboot",
        "which shutdown",
        "command -v reboot",
        "type poweroff",
        "shutdown -c",
        "shutdown --help",
        "mkfs --help",
        "last reboot",
        "uptime",
        "systemctl status reboot.target",
        "systemctl restart docker",
        "systemctl --user restart vllm",
        "sudo systemctl stop ollama",
        "init --version",
        "kill -9 12345",
        "kill -1 12345",
        "kill %1",
        "pkill -f vllm",
        "tmux new-session -d -s job1 'python train.py'",
        "tmux kill-session -t job1",
        "bash -c 'echo hi; exit 3'",
        "sh -c 'nvidia-smi'",
        "bash ./deploy.sh",
        "ssh node-2.example.org uptime",
        "ssh node-2.example.org",
        "cd /tmp && ls -la",
        "cat /proc/meminfo",
        "cat /proc/sysrq-trigger",
        "free -m; df -h; uptime",
        "export PATH=$PATH:/usr/local/cuda/bin",
        "for f in *.log; do gzip \"$f\"; done",
        "for f in *; do echo \"$f\"; done",
        "if [ -d /data ]; then du -sh /data; fi",
        "du -sh ~/* | sort -h",
        "git clean -fdx",
        "git reset --hard HEAD",
        "pip install -r requirements.txt",
        "apt-get install -y htop",
        "f(){ echo hi | grep f; }; f",
        "build() { make -j8 && make install; }; build",
        "curl -s http://127.0.0.1:8000/health",
        "sudo -l",
        "sudoedit /etc/hosts",
        "echo hi # rm -rf /",
        "wipe_cache() { rm -rf ~/.cache/vllm; }; wipe_cache",
        "rm -rf \"$PWD/build\"",
        "rm -rf -- \"$dir\"",
        "rm -rf \"/home/me/my project\"",
        "rm -rf /mnt/*",
        "rm -rf /mnt/data/old",
        "git commit -m \"fix: never rm -rf / again\"",
        "bash -c \"$(curl -fsSL https://example.org/install.sh)\"",
        "echo $(( 1 + 2 ))",
        "docker system prune -af",
        // Proxmox VE and volumes: reading, and everyday guest actions
        "qm list",
        "qm status 100",
        "qm config 100",
        "qm start 100",
        "qm shutdown 100 --timeout 60",
        "qm help destroy",
        "qm destroy --help",
        "echo qm destroy 100",
        "grep 'qm destroy' /var/log/pve/tasks/index",
        "pct list",
        "pct enter 200",
        "pct exec 200 -- uptime",
        "pvecm status",
        "pvecm nodes",
        "pvecm help expected",
        "pvesh get /cluster/status --output-format json",
        "pvesh get /cluster/resources --type vm --output-format json",
        "pvesh create /nodes/node-1/qemu/100/status/start",
        "pvesh delete /nodes/node-1/qemu/100/snapshot/before-upgrade",
        "zpool status",
        "zpool status -x tank",
        "zpool list",
        "zfs list -t snapshot",
        "lvs",
        "vgs",
        "pvs",
        "lvdisplay pve/data",
        "lvm lvs",
        "lvremove --help",
        "lvremove -t pve/vm-100-disk-0",
        "vgremove --test pve",
        "wipefs /dev/sda",
        "wipefs -n -a /dev/sda",
        "wipefs --help",
        ":",
    };
    for (const char *command : commands) {
        QTest::newRow(QByteArray(command).replace('\n', "\\n").constData()) << QString::fromUtf8(command);
    }
}

void TestCommandGuard::allowed()
{
    QFETCH(QString, command);
    const GuardVerdict verdict = checkCommand(command);
    QVERIFY2(verdict.allowed, qPrintable(verdict.reason));
    QVERIFY(verdict.reason.isEmpty());
    QVERIFY(verdict.rule.isEmpty());
}

void TestCommandGuard::reasonIsPlain()
{
    QCOMPARE(checkCommand(QStringLiteral("rm -rf /")).reason,
             QStringLiteral("refused: 'rm -rf /' would delete the whole filesystem; pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("dd if=/dev/zero of=/dev/sda")).reason,
             QStringLiteral("refused: 'dd if=/dev/zero of=/dev/sda' would overwrite the disk /dev/sda; "
                            "pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("sudo reboot")).reason,
             QStringLiteral("refused: 'reboot' would take the machine down; pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("cat x > /dev/sdb1")).reason,
             QStringLiteral("refused: '> /dev/sdb1' would overwrite the disk /dev/sdb1; pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("rm -rf \"$DIR\"/")).reason,
             QStringLiteral("refused: 'rm -rf $DIR/' would delete the whole filesystem if $DIR is empty or unset; "
                            "pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("rm -rf ~")).reason,
             QStringLiteral("refused: 'rm -rf ~' would delete the home directory; pass force to run it anyway"));
    QCOMPARE(
        checkCommand(QStringLiteral("rm -rf /etc")).reason,
        QStringLiteral("refused: 'rm -rf /etc' would delete /etc, a system directory; pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("mkfs.ext4 /dev/sda1")).reason,
             QStringLiteral("refused: 'mkfs.ext4 /dev/sda1' would create a new filesystem, destroying what is on the "
                            "device; pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("sudo qm destroy 100")).reason,
             QStringLiteral("refused: 'qm destroy 100' would destroy a virtual machine and delete its disks; "
                            "pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral("zpool destroy tank")).reason,
             QStringLiteral("refused: 'zpool destroy tank' would destroy a ZFS pool and everything on it; "
                            "pass force to run it anyway"));
    QCOMPARE(checkCommand(QStringLiteral(":(){ :|:& };:")).reason,
             QStringLiteral("refused: ':(){ :|:& }' is a fork bomb that would exhaust the machine's processes; "
                            "pass force to run it anyway"));
}

void TestCommandGuard::reasonShowsWhatMatched()
{
    // Inside a wrapper or a nested shell, the reason quotes the command that was matched, not the wrapper.
    const GuardVerdict verdict = checkCommand(QStringLiteral("cd /srv && sudo bash -c 'echo start; rm -fr /*'"));
    QVERIFY(!verdict.allowed);
    QVERIFY2(verdict.reason.contains(QLatin1String("'rm -fr /*'")), qPrintable(verdict.reason));

    // A very long command is shortened in the reason.
    const QString longCommand = QStringLiteral("rm -rf / ") + QString(500, QLatin1Char('x'));
    QVERIFY(checkCommand(longCommand).reason.size() < 250);
}

QTEST_GUILESS_MAIN(TestCommandGuard)
#include "tst_command_guard.moc"
