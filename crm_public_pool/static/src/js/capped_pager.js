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
 */

var BasicModel = require('web.BasicModel');
var KanbanController = require('web.KanbanController');
var KanbanModel = require('web.KanbanModel');
var KanbanView = require('web.KanbanView');
var ListController = require('web.ListController');
var ListView = require('web.ListView');
var core = require('web.core');
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
     * Count the records of the list exactly (a click on "N+").
     *
     * @param {string} listID
     * @returns {Deferred}
     */
    poolCountExactly: function (listID) {
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
        });
    },
};

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
        var render = pager._render;
        pager._render = function () {
            render.apply(this, arguments);
            var list = self.model.localData[self.handle];
            var capped = !!(list && list.poolCapped);
            this.$limit.toggleClass('o_pool_count_capped', capped);
            if (capped) {
                this.$limit.text(countLimit() + '+');
                this.$limit.attr('title', _t("Count all records"));
            } else {
                this.$limit.removeAttr('title');
            }
        };
        pager.$el.on('click', '.o_pool_count_capped', function (ev) {
            ev.preventDefault();
            ev.stopPropagation();
            self.model.poolCountExactly(self.handle).then(function () {
                self._updatePager();
            });
        });
        pager._render();
    },
};

var CappedListModel = BasicModel.extend(CappedModelMixin);
var CappedKanbanModel = KanbanModel.extend(CappedModelMixin);

var CappedListView = ListView.extend({
    config: _.extend({}, ListView.prototype.config, {
        Model: CappedListModel,
        Controller: ListController.extend(CappedControllerMixin),
    }),
});

var CappedKanbanView = KanbanView.extend({
    config: _.extend({}, KanbanView.prototype.config, {
        Model: CappedKanbanModel,
        Controller: KanbanController.extend(CappedControllerMixin),
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
