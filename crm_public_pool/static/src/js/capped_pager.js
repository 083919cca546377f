odoo.define('crm_public_pool.capped_pager', function (require) {
"use strict";

/**
 * Pool lists with a capped count.
 *
 * A salesperson's pool list may hold hundreds of thousands of records the
 * record rules let them see: counting them all costs more than loading the
 * page. The list and kanban views of the pools (js_class
 * "crm_pool_capped_list" / "crm_pool_capped_kanban") ask the server to
 * count at most N + 1 records (context key pool_count_limit, N from the
 * session, system parameter crm_public_pool.count_limit). When there are
 * more, the pager shows "1-80 / N+"; a click on "N+" counts exactly.
 *
 * Grouped (the kanban's columns by pool state, a grouped list), each group
 * counts at most N + 1 records too: the kanban column's header, the list's
 * group row and the pager of an open group show "N+", and a click on it
 * counts that group exactly. Grouped views have no pager of their own, as
 * in Odoo.
 */

var BasicModel = require('web.BasicModel');
var KanbanController = require('web.KanbanController');
var KanbanColumn = require('web.KanbanColumn');
var KanbanModel = require('web.KanbanModel');
var KanbanRenderer = require('web.KanbanRenderer');
var KanbanView = require('web.KanbanView');
var ListController = require('web.ListController');
var ListRenderer = require('web.ListRenderer');
var ListView = require('web.ListView');
var core = require('web.core');
var QWeb = core.qweb;
var session = require('web.session');
var viewRegistry = require('web.view_registry');

var _t = core._t;

/**
 * The limit of the counts, 0 when the pools count exactly.
 */
function countLimit() {
    return session.crm_pool_count_limit || 0;
}

var CappedModelMixin = {
    /**
     * Count at most countLimit() + 1 records, unless the user asked for the
     * exact count of this list (same domain).
     *
     * @override
     */
    _searchReadUngroupedList: function (list) {
        var limit = countLimit();
        var domainKey = JSON.stringify(list.domain || []);
        var exact = !limit || list.poolExactDomain === domainKey;
        var getContext = list.getContext;
        if (!exact) {
            list.getContext = function () {
                var context = getContext.apply(this, arguments);
                return _.extend({}, context, {pool_count_limit: limit});
            };
        }
        var def;
        try {
            def = this._super.apply(this, arguments);
        } finally {
            list.getContext = getContext;
        }
        return def.then(function (result) {
            list.poolCapped = !exact && list.count > limit;
            return result;
        });
    },
    /**
     * The states handed to the views say which counts are capped (the
     * list's and its groups', poolCapped).
     *
     * @override
     */
    get: function () {
        var state = this._super.apply(this, arguments);
        this._poolMarkCapped(state);
        return state;
    },
    /**
     * @private
     * @param {Object} state
     */
    _poolMarkCapped: function (state) {
        var self = this;
        if (!state || state.type !== 'list') {
            return;
        }
        var element = this.localData[state.id];
        state.poolCapped = !!(element && element.poolCapped);
        if (state.groupedBy && state.groupedBy.length) {
            _.each(state.data, function (group) {
                self._poolMarkCapped(group);
            });
        }
    },
    /**
     * Group counts stop at countLimit() + 1 too (read_group with the context
     * key pool_count_limit); a group whose records were counted exactly on
     * a click keeps its exact count while it is open.
     *
     * @override
     */
    _readGroup: function (list) {
        var self = this;
        var limit = countLimit();
        if (!limit) {
            return this._super.apply(this, arguments);
        }
        var context = list.context;
        list.context = _.extend({}, context, {pool_count_limit: limit});
        var def;
        try {
            def = this._super.apply(this, arguments);
        } finally {
            list.context = context;
        }
        return def.then(function (result) {
            // the total of the groups is "N+" as soon as one group is
            list.poolCapped = false;
            _.each(list.data, function (groupID) {
                var group = self.localData[groupID];
                var exact = group.poolExactDomain === JSON.stringify(
                    group.domain || []);
                if (!(exact && group.isOpen)) {
                    group.poolCapped = group.count > limit;
                }
                list.poolCapped = list.poolCapped || group.poolCapped;
            });
            return result;
        });
    },
    /**
     * Count the records of the list exactly (a click on "N+").
     *
     * @param {string} listID
     * @returns {Deferred}
     */
    poolCountExactly: function (listID) {
        var self = this;
        var list = this.localData[listID];
        return this._rpc({
            model: list.model,
            method: 'search_count',
            args: [list.domain || []],
            context: list.getContext(),
        }).then(function (count) {
            list.count = count;
            list.poolCapped = false;
            list.poolExactDomain = JSON.stringify(list.domain || []);
            // a group's: the total of the groups is exact once none is capped
            var parent = self.localData[list.parentID];
            if (parent && parent.groupedBy && parent.groupedBy.length) {
                var groups = _.map(parent.data, function (groupID) {
                    return self.localData[groupID];
                });
                parent.count = _.reduce(groups, function (total, group) {
                    return total + group.count;
                }, 0);
                parent.poolCapped = _.some(groups, function (group) {
                    return group.poolCapped;
                });
            }
        });
    },
};

/**
 * Show "N+" in a pager while its list's count is capped.
 *
 * @param {Pager} pager
 * @param {function} isCapped whether the count is capped now
 * @param {string} [groupID] the group whose pager it is: its "N+" counts
 *   the group (see CappedGroupRendererMixin)
 */
function capPager(pager, isCapped, groupID) {
    var render = pager._render;
    pager._render = function () {
        render.apply(this, arguments);
        var capped = isCapped();
        this.$limit.toggleClass('o_pool_count_capped', capped);
        if (groupID) {
            this.$limit.toggleClass('o_pool_group_count', capped);
            this.$limit.attr('data-group-id', groupID);
        }
        if (capped) {
            this.$limit.text(countLimit() + '+');
            this.$limit.attr('title', _t("Count all records"));
        } else {
            this.$limit.removeAttr('title');
        }
    };
}

var CappedControllerMixin = {
    /**
     * The pager shows "N+" for a capped count; a click on it counts exactly.
     *
     * @override
     */
    renderPager: function () {
        var self = this;
        this._super.apply(this, arguments);
        if (!this.pager) {
            return;
        }
        var pager = this.pager;
        capPager(pager, function () {
            var list = self.model.localData[self.handle];
            return !!(list && list.poolCapped);
        });
        pager.$el.on('click', '.o_pool_count_capped', function (ev) {
            ev.preventDefault();
            ev.stopPropagation();
            self.model.poolCountExactly(self.handle).then(function () {
                self._updatePager();
            });
        });
        // shown as capped now (and hidden when grouped, as Odoo's views)
        this._updatePager();
    },
};

/**
 * "N+" of a capped group (a click counts it exactly, see
 * CappedGroupControllerMixin).
 *
 * @param {Object} group datapoint of the group
 * @returns {jQuery}
 */
function cappedGroupCount(group) {
    return $('<span>', {
        'class': 'o_pool_group_count o_pool_count_capped',
        'title': _t("Count all records"),
        'data-group-id': group.id,
        'text': countLimit() + '+',
    });
}

var CappedGroupRendererMixin = {
    events: {
        'click .o_pool_group_count.o_pool_count_capped': '_onPoolCountGroup',
    },
    /**
     * @private
     * @param {MouseEvent} ev
     */
    _onPoolCountGroup: function (ev) {
        // not a click on the group row or column (open, fold)
        ev.preventDefault();
        ev.stopPropagation();
        this.trigger_up('pool_count_group', {
            groupID: $(ev.currentTarget).data('group-id'),
        });
    },
};

var CappedKanbanRenderer = KanbanRenderer.extend(CappedGroupRendererMixin, {
    events: _.extend({}, KanbanRenderer.prototype.events,
                     CappedGroupRendererMixin.events),
    /**
     * @override
     */
    updateColumn: function () {
        var self = this;
        return this._super.apply(this, arguments).then(function () {
            self._renderPoolCounts();
        });
    },
    /**
     * @override
     * @private
     */
    _render: function () {
        var self = this;
        return this._super.apply(this, arguments).then(function () {
            self._renderPoolCounts();
        });
    },
    /**
     * Each column's header shows its count, "N+" when capped.
     *
     * @private
     */
    _renderPoolCounts: function () {
        _.each(this.widgets, function (column) {
            if (!(column instanceof KanbanColumn) || !column.$el) {
                return;
            }
            var group = column.data;
            column.$('.o_pool_group_count').remove();
            if (column.folded) {
                if (group.poolCapped) {
                    column.$('.o_column_title').text(
                        column.title + ' (' + countLimit() + '+)');
                }
                return;
            }
            var $count = group.poolCapped ? cappedGroupCount(group) :
                $('<span>', {'class': 'o_pool_group_count',
                             'text': group.count});
            column.$('.o_kanban_header_title .o_column_title').after($count);
            if (group.poolCapped && column.remaining > 0) {
                // more than N minus the loaded records remain
                column.$('.o_kanban_load_more').html(QWeb.render(
                    'KanbanView.LoadMore', {widget: {
                        remaining: (countLimit() - column.data_records.length) + '+',
                    }}));
            }
        });
    },
});

var CappedListRenderer = ListRenderer.extend(CappedGroupRendererMixin, {
    events: _.extend({}, ListRenderer.prototype.events,
                     CappedGroupRendererMixin.events),
    /**
     * The group row shows "Name (N+)" when its count is capped.
     *
     * @override
     * @private
     */
    _renderGroupRow: function (group) {
        var $row = this._super.apply(this, arguments);
        if (!group.poolCapped) {
            return $row;
        }
        var $th = $row.find('th.o_group_name');
        var text = _.find($th.contents().get(), function (node) {
            return node.nodeType === 3;
        });
        if (text) {
            text.nodeValue = text.nodeValue.replace(/\s*\(\d+\)\s*$/, ' (');
            $th.append(cappedGroupCount(group), document.createTextNode(')'));
        }
        return $row;
    },
    /**
     * The pager of an open group shows "N+" while the group's count is
     * capped; a click on it counts the group exactly.
     *
     * @override
     * @private
     */
    _renderGroupPager: function (group) {
        var $pager = this._super.apply(this, arguments);
        var pager = _.last(this.pagers);
        capPager(pager, function () {
            return !!group.poolCapped;
        }, group.id);
        pager._render();
        return $pager;
    },
});

var CappedGroupControllerMixin = {
    custom_events: {
        pool_count_group: '_onPoolCountGroup',
    },
    /**
     * Count the records of one group exactly and show the figure.
     *
     * @private
     * @param {OdooEvent} ev
     */
    _onPoolCountGroup: function (ev) {
        var self = this;
        ev.stopPropagation();
        this.model.poolCountExactly(ev.data.groupID).then(function () {
            return self.update({}, {reload: false});
        });
    },
};

var CappedListModel = BasicModel.extend(CappedModelMixin);
var CappedKanbanModel = KanbanModel.extend(CappedModelMixin);

var CappedListView = ListView.extend({
    config: _.extend({}, ListView.prototype.config, {
        Model: CappedListModel,
        Renderer: CappedListRenderer,
        Controller: ListController.extend(CappedControllerMixin,
                                          CappedGroupControllerMixin, {
            custom_events: _.extend({}, ListController.prototype.custom_events,
                                    CappedGroupControllerMixin.custom_events),
        }),
    }),
});

var CappedKanbanView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {
        Model: CappedKanbanModel,
        Renderer: CappedKanbanRenderer,
        Controller: KanbanController.extend(CappedControllerMixin,
                                            CappedGroupControllerMixin, {
            custom_events: _.extend({},
                                    KanbanController.prototype.custom_events,
                                    CappedGroupControllerMixin.custom_events),
        }),
    }),
});

viewRegistry.add('crm_pool_capped_list', CappedListView);
viewRegistry.add('crm_pool_capped_kanban', CappedKanbanView);

return {
    CappedListView: CappedListView,
    CappedKanbanView: CappedKanbanView,
    countLimit: countLimit,
};

});
