// SPDX-License-Identifier: GPL-2.0
/*
 * Interface roles.  Writers (MTF_CMD_DEV_SET and the netdevice notifier)
 * run under RTNL, so a role can never be stored for an interface that is
 * going away: DEV_SET checks that the ifindex exists and stores under the
 * same RTNL hold in which NETDEV_UNREGISTER would erase it.  The packet
 * path reads the flat copy in mn->dev_map (dev.h), which every change
 * updates under the same RTNL hold.
 */

#include <linux/rtnetlink.h>
#include <net/sock.h>
#include <net/genetlink.h>

#include "dev.h"
#include "hooks.h"
#include "netlink.h"

/* No roles anywhere; never freed. */
static struct mtf_dev_map dev_map_empty;

static void dev_map_free(struct mtf_dev_map *m)
{
	if (m && m != &dev_map_empty)
		kfree_rcu(m, rcu);
}

/*
 * Under RTNL, after the xarray changed at @ifindex.  Cannot fail: without
 * memory for a new array it publishes none, and lookups walk the xarray.
 */
static void dev_map_update(struct mtf_net *mn, u32 ifindex, u32 roles)
{
	struct mtf_dev_map *old = rtnl_dereference(mn->dev_map), *m = NULL;
	unsigned long i, last = 0;
	void *e;

	BUILD_BUG_ON(MTF_DEV_F_ALL > U8_MAX);
	if (old && ifindex < old->len) {
		WRITE_ONCE(old->roles[ifindex], roles);
		return;
	}
	if (old && !roles)	/* beyond the array, and nothing to add */
		return;
	xa_for_each(&mn->devs, i, e)
		last = i;
	if (!last) {
		m = &dev_map_empty;
	} else if (last < MTF_DEV_MAP_MAX) {
		m = kzalloc(struct_size(m, roles, last + 1), GFP_KERNEL);
		if (m) {
			m->len = last + 1;
			xa_for_each(&mn->devs, i, e)
				m->roles[i] = xa_to_value(e);
		}
	}
	rcu_assign_pointer(mn->dev_map, m);
	dev_map_free(old);
}

static int dev_event(struct notifier_block *nb, unsigned long event,
		     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct mtf_net *mn = container_of(nb, struct mtf_net, dev_nb);

	/* Also sent in the old namespace when a device moves out. */
	if (event == NETDEV_UNREGISTER && xa_erase(&mn->devs, dev->ifindex)) {
		dev_map_update(mn, dev->ifindex, 0);
		/* The last role gone: hooks down unless enabled. */
		mtf_hooks_update(dev_net(dev));
	}
	return NOTIFY_DONE;
}

int mtf_dev_net_init(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	int ret;

	xa_init(&mn->devs);
	RCU_INIT_POINTER(mn->dev_map, &dev_map_empty);
	mn->dev_nb.notifier_call = dev_event;
	ret = register_netdevice_notifier_net(net, &mn->dev_nb);
	if (ret)
		xa_destroy(&mn->devs);
	return ret;
}

/* After the hooks: no reader is left. */
void mtf_dev_net_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	unregister_netdevice_notifier_net(net, &mn->dev_nb);
	xa_destroy(&mn->devs);
	dev_map_free(rcu_dereference_protected(mn->dev_map, true));
}

static const struct nla_policy dev_attr_policy[MTF_DEV_A_MAX + 1] = {
	[MTF_DEV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MTF_DEV_A_IFNAME] = { .type = NLA_REJECT,
			       .reject_message = "IFNAME is reply-only" },
	[MTF_DEV_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, MTF_DEV_F_ALL),
	[MTF_DEV_A_FLAGS_MASK] = NLA_POLICY_MASK(NLA_U32, MTF_DEV_F_ALL),
};

const struct nla_policy mtf_nl_dev_policy[MTF_A_MAX + 1] = {
	[MTF_A_DEV] = NLA_POLICY_NESTED(dev_attr_policy),
};

static int put_dev(struct sk_buff *msg, const struct net_device *dev,
		   u32 roles)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, MTF_A_DEV);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, MTF_DEV_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, MTF_DEV_A_IFNAME, dev->name) ||
	    nla_put_u32(msg, MTF_DEV_A_FLAGS, roles)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static size_t dev_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
	       nla_total_size(IFNAMSIZ);
}

/* The MTF_DEV_A_* nest of a request, with IFINDEX required. */
static int parse_dev(struct genl_info *info, struct nlattr **tb)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MTF_A_DEV))
		return -EINVAL;
	ret = nla_parse_nested(tb, MTF_DEV_A_MAX, info->attrs[MTF_A_DEV],
			       dev_attr_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[MTF_DEV_A_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MTF_A_DEV],
				    "missing IFINDEX");
		return -EINVAL;
	}
	return 0;
}

int mtf_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *tb[MTF_DEV_A_MAX + 1];
	struct net_device *dev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = parse_dev(info, tb);
	if (ret)
		return ret;
	msg = genlmsg_new(dev_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, nla_get_u32(tb[MTF_DEV_A_IFINDEX]));
	if (!dev) {
		rcu_read_unlock();
		nlmsg_free(msg);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MTF_DEV_A_IFINDEX],
				    "no such interface in this namespace");
		return -ENODEV;
	}
	hdr = genlmsg_put_reply(msg, info, &mtf_genl_family, 0,
				MTF_CMD_DEV_GET);
	ret = hdr ? put_dev(msg, dev, mtf_dev_roles(mtf_net(net), dev)) :
		    -EMSGSIZE;
	rcu_read_unlock();
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Under RTNL. */
static int store_roles(struct mtf_net *mn, u32 ifindex, u32 roles)
{
	int ret = 0;

	if (roles)
		ret = xa_err(xa_store(&mn->devs, ifindex, xa_mk_value(roles),
				      GFP_KERNEL));
	else
		xa_erase(&mn->devs, ifindex);
	if (!ret)
		dev_map_update(mn, ifindex, roles);
	return ret;
}

int mtf_nl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mtf_net *mn = mtf_net(net);
	struct nlattr *tb[MTF_DEV_A_MAX + 1];
	struct net_device *dev;
	u32 flags, mask, roles, old;
	int ret;

	ret = parse_dev(info, tb);
	if (ret)
		return ret;
	if (!tb[MTF_DEV_A_FLAGS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MTF_A_DEV],
				    "missing FLAGS");
		return -EINVAL;
	}
	flags = nla_get_u32(tb[MTF_DEV_A_FLAGS]);
	/* Without a mask, FLAGS is the whole new set of roles. */
	mask = tb[MTF_DEV_A_FLAGS_MASK] ?
	       nla_get_u32(tb[MTF_DEV_A_FLAGS_MASK]) : MTF_DEV_F_ALL;

	rtnl_lock();
	dev = __dev_get_by_index(net, nla_get_u32(tb[MTF_DEV_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MTF_DEV_A_IFINDEX],
				    "no such interface in this namespace");
		ret = -ENODEV;
		goto out;
	}
	old = mtf_dev_roles(mn, dev);
	roles = (old & ~mask) | (flags & mask);
	ret = store_roles(mn, dev->ifindex, roles);
	if (ret)
		goto out;
	/* The first role brings the hooks up, the last takes them down. */
	ret = mtf_hooks_update(net);
	if (ret) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot register the netfilter hooks");
		/* Only the first role registers: this erases it again. */
		store_roles(mn, dev->ifindex, old);
		mtf_hooks_update(net);
	}
out:
	rtnl_unlock();
	return ret;
}

/* cb->args[0]: the next ifindex to look at. */
int mtf_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct mtf_net *mn = mtf_net(net);
	unsigned long ifindex;
	struct net_device *dev;
	void *e, *hdr;
	int ret = 0;

	rcu_read_lock();
	xa_for_each_start(&mn->devs, ifindex, e, cb->args[0]) {
		/* Gone but not yet erased by the notifier: skip it. */
		dev = dev_get_by_index_rcu(net, ifindex);
		if (!dev)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &mtf_genl_family,
				  NLM_F_MULTI, MTF_CMD_DEV_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		if (put_dev(skb, dev, xa_to_value(e))) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = ifindex + 1;
	}
	rcu_read_unlock();
	/* A full buffer ends this part; the dump goes on from args[0]. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ? ret : skb->len;
}
